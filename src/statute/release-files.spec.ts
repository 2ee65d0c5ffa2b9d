import { CASE_STATES, OPEN_STATES } from './case-states';
import { OUTCOME_CODES } from './outcomes';
import { providedFileLine, providesFiles, PROVIDING_OUTCOMES, releaseChangeProblem } from './release-files';

describe('release files (Art 40)', () => {
  it('only a granted or partial reply provides files', () => {
    expect(OUTCOME_CODES.filter((o) => providesFiles(o))).toEqual([...PROVIDING_OUTCOMES]);
    expect(providesFiles(null)).toBe(false);
  });

  it('the files may change while the case is open and its reply not signed off, never after', () => {
    for (const s of CASE_STATES) {
      const p = releaseChangeProblem(s);
      if (s === 'reply_approved') expect(p?.code).toBe('RELEASE_FILES_LOCKED');
      else if ((OPEN_STATES as readonly string[]).includes(s)) expect(p).toBeNull();
      else expect(p?.code).toBe(s === 'concluded' ? 'RELEASE_FILES_LOCKED' : 'TRANSITION_NOT_ALLOWED');
    }
  });

  it('names a file with its size', () => {
    expect(providedFileLine({ fileName: '2024年预算表.pdf', size: 10 })).toBe('2024年预算表.pdf（0.1 KB）');
    expect(providedFileLine({ fileName: 'a.pdf', size: 2048 })).toBe('a.pdf（2 KB）');
    expect(providedFileLine({ fileName: 'b.xlsx', size: 3 * 1024 * 1024 + 200_000 })).toBe('b.xlsx（3.2 MB）');
  });
});
