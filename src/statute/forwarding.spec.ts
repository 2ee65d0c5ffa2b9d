import { decideForward } from './forwarding';

describe('forward (分办)', () => {
  it('every combination of the facts', () => {
    for (const forwardedBefore of [false, true]) {
      for (const same of [false, true]) {
        for (const targetExists of [false, true]) {
          const d = decideForward({ fromAgencyId: 'a', toAgencyId: same ? 'a' : 'b', targetExists, forwardedBefore });
          if (forwardedBefore) expect(d).toEqual({ ok: false, code: 'FORWARD_ALREADY_USED' });
          else if (same) expect(d).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'agencyId', message: '不能转送给本机关' });
          else if (!targetExists) expect(d).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'agencyId', message: '转送的机关不存在' });
          else expect(d).toEqual({ ok: true });
        }
      }
    }
  });
});
