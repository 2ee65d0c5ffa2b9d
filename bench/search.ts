/**
 * Chinese substring search over a million cases: the case list's query (our unigram/bigram
 * GIN index, then the exact substring check) against the same query without the index
 * condition (a scan with strpos), in the same run, for terms of one, two and four characters.
 *   node -r @swc-node/register bench/search.ts [rows]
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { runMigrations } from '../src/infra/database/run-migrations';
import { queryGrams } from '../src/statute/intake';

const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = (db: string) => Object.assign(new URL(PG), { pathname: `/${db}` }).toString();

const TOPICS = ['城市道路维修资金', '征地补偿安置方案', '环境监测数据', '教育经费使用情况', '社会保险基金收支', '保障性住房分配名单', '行政处罚决定书', '建设工程规划许可证', '拆迁补偿标准', '河道治理工程招标', '医疗机构执业许可', '食品安全抽检结果', '农村低保发放明细', '公共交通票价调整', '企业环评批复文件'];
const YEARS = ['2019年', '2020年', '2021年', '2022年', '2023年', '2024年', '2025年'];
const PLACES = ['兴隆台区', '双台子区', '大洼区', '盘山县', '辽河油田', '红海滩'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞建国志明海燕晓东';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const db = `gi_bench_search_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${db}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
  console.log(`machine: ${cpus()[0]?.model} ×${cpus().length}, node ${process.version}, ${new Date().toISOString()}; ${rows} cases`);
  try {
    await runMigrations(url(db));
    const c = new Client({ connectionString: url(db) });
    await c.connect();
    const t0 = Date.now();
    const [{ id: agency }] = (await c.query(`INSERT INTO agencies (name, code, path) VALUES ('基准测试局', 'bench', '/') RETURNING id`)).rows;
    await c.query(`UPDATE agencies SET path = '/' || id || '/' WHERE id = $1`, [agency]);
    // the same grams as the application computes (searchGrams in src/cases/domain/intake.ts), in SQL for the bulk load only
    await c.query(`CREATE FUNCTION bench_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
      SELECT array_agg(DISTINCT g) FROM (
        SELECT substr(s, i, 1) AS g FROM (SELECT lower(regexp_replace(t, '[^[:alnum:]]', '', 'g')) AS s) x, generate_series(1, char_length(s)) i
        UNION ALL
        SELECT substr(s, i, 2) FROM (SELECT lower(regexp_replace(t, '[^[:alnum:]]', '', 'g')) AS s) x, generate_series(1, char_length(s) - 1) i) g $$`);
    await c.query(
      `INSERT INTO cases (tracking_number, query_code_hash, agency_id, state, channel, applicant_type, applicant_name, applicant_id_type,
                          applicant_id_enc, applicant_id_hash, applicant_id_masked, description, form, delivery, search_grams, receipt_date)
       SELECT 'B' || lpad(i::text, 10, '0'), repeat('0', 64), $1, 'concluded', 'online', 'natural_person', n, 'resident_id', 'x', md5(i::text) || md5(i::text), '110***', d, 'electronic', 'email',
              bench_grams(d || ' ' || n), DATE '2024-01-01' + (i % 700)
         FROM (SELECT i,
                      ($2::text[])[1 + i % 7] || ($3::text[])[1 + (i / 7) % 6] || ($4::text[])[1 + (i / 42) % 15] || '相关信息（第' || i || '号）' AS d,
                      substr($5, 1 + (i * 7) % char_length($5), 1) || substr($6, 1 + (i * 13) % char_length($6), 1) || substr($6, 1 + (i * 31) % char_length($6), 1) AS n
                 FROM generate_series(1, $7::int) AS i) x`,
      [agency, YEARS, PLACES, TOPICS, SURNAMES, GIVEN, rows],
    );
    await c.query('ANALYZE cases');
    console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const list = (withIndex: boolean, term: string) => {
      const grams = queryGrams(term);
      return {
        text: `SELECT id, tracking_number, description FROM cases c
                WHERE c.agency_id = $1 ${withIndex ? 'AND c.search_grams @> $3::text[]' : ''}
                  AND (strpos(lower(c.description), lower($2)) > 0 OR strpos(lower(c.applicant_name), lower($2)) > 0)
                ORDER BY c.seq DESC LIMIT 21`,
        values: withIndex ? [agency, term, grams] : [agency, term],
      };
    };
    const terms = ['蒋', '萧敏', '拆迁', '红海滩拆迁补偿', '第999999号', '不存在的词'];
    const table: Record<string, string | number>[] = [];
    for (const term of terms) {
      const row: Record<string, string | number> = { term, chars: [...term].length };
      for (const withIndex of [true, false]) {
        const times: number[] = [];
        let found = 0;
        for (let k = 0; k < 5; k++) {
          const s = process.hrtime.bigint();
          const r = await c.query(list(withIndex, term));
          times.push(Number(process.hrtime.bigint() - s) / 1e6);
          found = r.rowCount ?? 0;
        }
        times.sort((a, b) => a - b);
        row[withIndex ? 'grams index ms (median of 5)' : 'scan ms (reference)'] = times[2].toFixed(1);
        row.found = found;
      }
      table.push(row);
    }
    console.table(table);
    await c.end();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await admin.end();
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
