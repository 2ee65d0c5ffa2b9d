import { earlierCaseProblems, earlierReplyShapeProblems } from './repeated-application';

describe('Art 36(六) earlier reply', () => {
  it('the shape: a case of the system, or by hand only before the system', () => {
    const f = (e: Parameters<typeof earlierReplyShapeProblems>[0]) => earlierReplyShapeProblems(e).map((p) => p.field);
    expect(f({ caseId: 'x' })).toEqual([]);
    expect(f({ caseId: 'x', beforeSystem: false })).toEqual([]);
    expect(f({})).toEqual(['earlierReply.caseId']);
    expect(f({ documentNumber: '盘政办依复〔2019〕3号', date: '2019-03-01' })).toEqual(['earlierReply.caseId', 'earlierReply.documentNumber', 'earlierReply.date']);
    expect(f({ caseId: 'x', date: '2019-03-01' })).toEqual(['earlierReply.date']);
    expect(f({ beforeSystem: true, documentNumber: '盘政办依复〔2019〕3号', date: '2019-03-01' })).toEqual([]);
    expect(f({ beforeSystem: true, documentNumber: 'n' })).toEqual(['earlierReply.date']);
    expect(f({ beforeSystem: true, caseId: 'x', documentNumber: 'n', date: '2019-03-01' })).toEqual(['earlierReply.caseId']);
  });

  it('the earlier case: same applicant, same agency, another case, reply issued — every combination', () => {
    const reply = { number: '依复〔2024〕1号', date: '2024-03-01' };
    expect(earlierCaseProblems(null)).toEqual([{ field: 'earlierReply.caseId', message: '此前的案件不存在' }]);
    for (const sameApplicant of [false, true]) {
      for (const sameAgency of [false, true]) {
        for (const issued of [false, true]) {
          for (const isThisCase of [false, true]) {
            const p = earlierCaseProblems({ sameApplicant, sameAgency, reply: issued ? reply : null, isThisCase });
            const ok = sameApplicant && sameAgency && issued && !isThisCase;
            expect([sameApplicant, sameAgency, issued, isThisCase, p.length === 0]).toEqual([sameApplicant, sameAgency, issued, isThisCase, ok]);
            if (!ok) expect(p[0].field).toBe('earlierReply.caseId');
          }
        }
      }
    }
  });
});
