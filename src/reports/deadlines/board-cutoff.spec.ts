import { pausedMinDaysBeforePause } from './board-page';

describe('pausedMinDaysBeforePause', () => {
  it('is the period less the window while positive, else null (any paused case may be due)', () => {
    expect([0, 5, 19, 20, 60].map((w) => pausedMinDaysBeforePause(w))).toEqual([20, 15, 1, null, null]);
    expect(pausedMinDaysBeforePause(5, 30)).toBe(25);
  });
});
