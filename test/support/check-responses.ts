/** Fails a test when any HTTP answer it caused (or its file's setup caused) does not match the OpenAPI document. */
import { takeViolations } from './openapi-check';

afterEach(() => {
  const v = takeViolations();
  if (v.length) throw new Error(`${v.length} answer(s) not as the OpenAPI document says:\n${[...new Set(v)].slice(0, 20).join('\n')}`);
});
