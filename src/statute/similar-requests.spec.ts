import fc from 'fast-check';
import { figuresOf, groupSimilarRequests, jaccard, bigrams, normaliseDescription, similarRequests, type RequestText } from './similar-requests';

const d = (description: string, documentNumber?: string): RequestText => ({ description, documentNumber });

describe('similar requests (Art 44 candidates)', () => {
  it('groups paraphrases of one request', () => {
    const a = d('申请公开2023年本市城市道路维修资金使用情况');
    const b = d('请提供2023年度城市道路维修资金的使用明细');
    const c = d('我想了解2023年城市道路维修经费的使用情况');
    expect(similarRequests(a, b)).toBe(true);
    expect(similarRequests(a, c)).toBe(true);
    expect(similarRequests(b, c)).toBe(true);
    expect(similarRequests(d('请公开市教育局2023年部门预算'), d('请提供2023年度教育局的部门预算公开文本'))).toBe(true);
  });

  it('keeps near misses apart: another document on the same theme, another year', () => {
    const road = d('申请公开2023年本市城市道路维修资金使用情况');
    expect(similarRequests(road, d('申请公开2023年本市城市绿化资金使用情况'))).toBe(false);
    expect(similarRequests(road, d('申请公开2023年城市道路建设规划'))).toBe(false);
    expect(similarRequests(road, d('申请公开2024年本市城市道路维修资金使用情况'))).toBe(false);
    expect(similarRequests(d('请公开市教育局2023年部门预算'), d('申请公开2023年教育局部门决算'))).toBe(false);
    expect(similarRequests(d('请提供2023年度教育局的部门预算公开文本'), d('申请公开2023年教育局部门决算'))).toBe(false);
  });

  it('decides by the document number when both name one', () => {
    expect(similarRequests(d('请提供该通知', '盘政发〔2023〕12号'), d('申请公开关于印发实施方案的通知全文', '盘政发[2023]12号'))).toBe(true);
    expect(similarRequests(d('申请公开2023年城市道路维修资金使用情况', '盘财发〔2023〕1号'), d('申请公开2023年城市道路维修资金使用情况', '盘财发〔2023〕2号'))).toBe(false);
    // one number only: the words decide
    expect(similarRequests(d('申请公开2023年城市道路维修资金使用情况', '盘财发〔2023〕1号'), d('请提供2023年度城市道路维修资金使用明细'))).toBe(true);
  });

  it('normalises figures, filler and synonyms', () => {
    expect(normaliseDescription('申请公开２０２３年度本市城市道路维修经费的使用情况。')).toBe('城市道路维修资金使用');
    expect([...figuresOf('２０２３年第05号文件和2023年')]).toEqual(['2023', '5']);
    expect(jaccard(bigrams('ab'), bigrams('ab'))).toBe(1);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect([...bigrams('预')]).toEqual(['预']);
  });

  const WORDS = ['城市', '道路', '维修', '资金', '经费', '使用', '绿化', '教育局', '部门', '预算', '决算', '规划', '申请公开', '请提供', '情况', '明细'];
  const descArb = fc
    .tuple(fc.option(fc.constantFrom('2022年', '2023年', '2024年度'), { nil: '' }), fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }))
    .map(([y, ws]) => y + ws.join(''));
  const reqArb = fc.record({ description: descArb, documentNumber: fc.option(fc.constantFrom('盘政发〔2023〕12号', '盘政发[2023]12号', '盘财发〔2023〕1号'), { nil: null }) });

  it('is symmetric, and reflexive where the description names something', () => {
    fc.assert(
      fc.property(reqArb, reqArb, (a, b) => {
        expect(similarRequests(a, b)).toBe(similarRequests(b, a));
        if (normaliseDescription(a.description).length > 0 || a.documentNumber) expect(similarRequests(a, a)).toBe(true);
      }),
      { seed: 44, numRuns: 500 },
    );
  });

  it('groups are the connected components of the pairwise relation (brute force)', () => {
    fc.assert(
      fc.property(fc.array(reqArb, { maxLength: 25 }), (reqs) => {
        const groups = groupSimilarRequests(reqs);
        // components by repeated relaxation over all pairs
        const comp = reqs.map((_, i) => i);
        let changed = true;
        while (changed) {
          changed = false;
          for (let i = 0; i < reqs.length; i++)
            for (let j = 0; j < reqs.length; j++)
              if (i !== j && similarRequests(reqs[i], reqs[j]) && comp[j] > comp[i]) {
                comp[j] = comp[i];
                changed = true;
              }
        }
        const expected = new Map<number, number[]>();
        comp.forEach((c, i) => expected.set(c, [...(expected.get(c) ?? []), i]));
        expect(groups).toEqual([...expected.values()]);
      }),
      { seed: 4444, numRuns: 300 },
    );
  });
});
