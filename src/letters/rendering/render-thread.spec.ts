import { LetterRenderThread } from './render-thread';
import { renderLetterPdf } from './render-letter-pdf';
import { sampleFacts } from './sample-facts';

describe('LetterRenderThread (rendering off the event loop)', () => {
  const thread = new LetterRenderThread();
  afterAll(() => thread.close());

  it('renders in a worker thread the same PDF as in-process, in order, and reports a failure', async () => {
    const facts = sampleFacts('reply.partial');
    const [a, b] = await Promise.all([thread.render(facts), thread.render(sampleFacts('receipt'))]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(b.subarray(0, 5).toString()).toBe('%PDF-');
    const direct = await renderLetterPdf(facts);
    // same content streams (the file's /ID and dates may differ)
    expect(a.length).toBe(direct.length);
    await expect(thread.render({ ...facts, date: '2025-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
    // still serving after a failure
    expect((await thread.render(facts)).length).toBe(a.length);
  }, 120_000);
});
