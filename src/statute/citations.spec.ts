import { OUTCOME_CODES, OUTCOMES, WITHHELD_CODES, type OutcomeCode } from './outcomes';
import { articleText, chineseNumeral, citeArticles, groundArticles, REGULATION, replyArticles, replyCitation } from './citations';

describe('article citations', () => {
  it('writes article numbers in Chinese numerals', () => {
    const expected: Record<number, string> = { 1: '一', 9: '九', 10: '十', 11: '十一', 14: '十四', 16: '十六', 20: '二十', 30: '三十', 36: '三十六', 39: '三十九', 42: '四十二', 56: '五十六', 99: '九十九' };
    for (const [n, s] of Object.entries(expected)) expect(chineseNumeral(Number(n))).toBe(s);
    for (let n = 1; n <= 99; n++) expect(chineseNumeral(n)).toMatch(/^[一二三四五六七八九十]{1,3}$/u);
    expect(new Set(Array.from({ length: 99 }, (_, i) => chineseNumeral(i + 1))).size).toBe(99);
    for (const bad of [0, 100, 1.5, -3]) expect(() => chineseNumeral(bad)).toThrow(RangeError);
  });

  it('writes items and paragraphs the way the Regulation is quoted', () => {
    expect(articleText('36(二)')).toBe('第三十六条第（二）项');
    expect(articleText('16 ¶2')).toBe('第十六条第二款');
    expect(articleText('39 ¶1')).toBe('第三十九条第一款');
    expect(articleText('33 ¶2')).toBe('第三十三条第二款');
    expect(articleText('14')).toBe('第十四条');
    for (const bad of ['', '36(8)', 'x', '100', '36（二）']) expect(() => articleText(bad)).toThrow(RangeError);
  });

  it('names the Regulation once and the fee measures after it', () => {
    expect(citeArticles(['36(三)', '14'])).toBe(`${REGULATION}第三十六条第（三）项、第十四条`);
    expect(citeArticles(['42', '办法'])).toBe(`${REGULATION}第四十二条和《政府信息公开信息处理费管理办法》`);
    expect(citeArticles(['办法'])).toBe('《政府信息公开信息处理费管理办法》');
    expect(citeArticles(['14', '14'])).toBe(`${REGULATION}第十四条`);
    expect(() => citeArticles([])).toThrow(RangeError);
  });

  it('cites for every outcome its basis of letters.md (every outcome in the catalogue)', () => {
    const expected: Record<OutcomeCode, string[]> = {
      'granted.proactive': ['36(一)'],
      granted: ['36(二)', '40'],
      partial: ['37'],
      'withheld.state_secret': ['36(三)', '14'],
      'withheld.law_prohibited': ['36(三)', '14'],
      'withheld.security_stability': ['36(三)', '14'],
      'withheld.third_party': ['36(三)', '15', '32'],
      'withheld.internal_affairs': ['36(三)', '16 ¶1'],
      'withheld.process_info': ['36(三)', '16 ¶2'],
      'withheld.enforcement_file': ['36(三)', '16 ¶2'],
      'withheld.administrative_query': ['36(七)'],
      'unavailable.not_held': ['36(四)'],
      'unavailable.needs_creation': ['38'],
      'unavailable.still_unclear': ['30'],
      'rejected.petition': ['39 ¶1'],
      'rejected.duplicate': ['36(六)'],
      'rejected.publication': ['39 ¶2'],
      'rejected.vexatious': ['35'],
      'rejected.confirmation': [],
      'other.correction_lapsed': ['30'],
      'other.fee_unpaid': ['42', '办法'],
      'other.other': [],
    };
    for (const o of OUTCOME_CODES) {
      expect([o, replyArticles(o)]).toEqual([o, expected[o]]);
      const c = replyCitation(o);
      if (expected[o].length === 0) expect(c).toBeNull();
      else for (const a of expected[o].filter((x) => x !== '办法')) expect(c).toContain(articleText(a));
    }
  });

  it('36(五) when the competent agency is named, 36(四) otherwise', () => {
    expect(replyArticles('unavailable.not_held', { competentAgency: true })).toEqual(['36(五)']);
    expect(replyCitation('unavailable.not_held', { competentAgency: true })).toBe(`${REGULATION}第三十六条第（五）项`);
    expect(replyCitation('unavailable.not_held', { competentAgency: false })).toBe(`${REGULATION}第三十六条第（四）项`);
  });

  it('a partial reply cites 37 and each ground’s own article; a withheld reply adds further grounds', () => {
    for (const g of WITHHELD_CODES) {
      const arts = replyArticles('partial', { grounds: [g] });
      expect(arts[0]).toBe('37');
      expect(arts.slice(1)).toEqual(groundArticles(g));
      expect(arts).not.toContain('36(三)');
      for (const w of WITHHELD_CODES) {
        const both = replyArticles(w, { grounds: [g] });
        expect(both.slice(0, OUTCOMES[w].articles.length)).toEqual(OUTCOMES[w].articles);
        for (const a of OUTCOMES[g].articles) expect(both).toContain(a);
        expect(new Set(both).size).toBe(both.length);
      }
    }
    expect(replyArticles('partial', { grounds: ['withheld.third_party', 'withheld.process_info', 'nonsense'] })).toEqual(['37', '15', '32', '16 ¶2']);
    expect(groundArticles('withheld.administrative_query')).toEqual(['36(七)']);
  });
});
