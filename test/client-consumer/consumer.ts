/**
 * A client written the way the portal and a staff front-end would, against the TypeScript client generated from
 * `/api/docs-json` (`generated/`, made by test/client-consumer.test.ts with @hey-api/openapi-ts; not committed).
 * It must compile with zero type errors and run against the service: every answer is read through its
 * generated type, with no casts. Prints one JSON line of what it saw; exits 1 on anything unexpected.
 */
import { createClient, createConfig } from './generated/client/index.js';
import {
  authControllerLogin,
  authControllerMe,
  casesControllerConfirmReceipt,
  casesControllerGet,
  casesControllerHistory,
  casesControllerIntake,
  casesControllerList,
  casesControllerRequestCorrection,
  portalControllerCorrect,
  portalControllerLetterPdf,
  portalControllerSubmit,
  portalControllerTrack,
  type CaseDto,
  type ErrorBody,
} from './generated/index.js';

const baseUrl = process.env.API_BASE_URL ?? 'http://127.0.0.1:3000';
const clerk = { username: process.env.CLERK_USERNAME ?? '', password: process.env.CLERK_PASSWORD ?? '' };
const agencyId = process.env.AGENCY_ID;

function fail(what: string, error?: ErrorBody | unknown): never {
  const e = error as Partial<ErrorBody> | undefined;
  throw new Error(`${what}: ${e?.code ?? ''} ${e?.message ?? JSON.stringify(error)}`);
}

async function main(): Promise<void> {
  const anonymous = createClient(createConfig({ baseUrl }));

  // ---- the portal: submit, track, correct
  const submitted = await portalControllerSubmit({
    client: anonymous,
    body: {
      applicant: { type: 'natural_person', name: '李四', idType: 'resident_id', idNumber: process.env.ID_NUMBER ?? '', phone: '13900000000', email: 'li@example.cn', address: '辽宁省盘锦市' },
      description: '申请获取2024年度公共预算执行情况',
      form: 'electronic',
      delivery: 'email',
      ...(agencyId ? { agencyId } : {}),
    },
  });
  if (!submitted.data) fail('portal submit', submitted.error);
  const trackingNumber: string = submitted.data.trackingNumber;
  const queryCode: string = submitted.data.queryCode;
  const tracked = await portalControllerTrack({ client: anonymous, path: { trackingNumber }, headers: { 'X-Query-Code': queryCode } });
  if (!tracked.data) fail('portal track', tracked.error);
  const portalState: string = tracked.data.state;
  const expected: string | null = tracked.data.expectedReplyBy;

  // ---- staff: sign in, read who they are
  const login = await authControllerLogin({ client: anonymous, body: clerk });
  if (!login.data) fail('login', login.error);
  const expiresIn: number = login.data.expiresIn;
  const staff = createClient(createConfig({ baseUrl, auth: () => login.data!.accessToken }));
  const me = await authControllerMe({ client: staff });
  if (!me.data) fail('me', me.error);
  const myAgency: string | null = me.data.agencyId;

  // ---- staff: intake of a letter received, list, read, act
  const intake = await casesControllerIntake({
    client: staff,
    body: {
      channel: 'registered_post',
      receiptDate: process.env.RECEIPT_DATE ?? '2024-11-11',
      applicant: { type: 'natural_person', name: '王五', idType: 'resident_id', idNumber: process.env.ID_NUMBER ?? '', address: '辽宁省盘锦市' },
      description: '申请获取某项目环境影响评价文件',
      form: 'paper',
      delivery: 'post',
    },
  });
  if (!intake.data) fail('intake', intake.error);
  const hints: number = intake.data.duplicateHints.countThisMonth;
  const due: string | null = intake.data.deadline.due;

  const list = await casesControllerList({ client: staff, query: { state: ['submitted'], limit: 50 } });
  if (!list.data) fail('list', list.error);
  const next: string | null = list.data.nextCursor;
  const portalCase = list.data.items.find((c) => c.trackingNumber === trackingNumber);
  if (!portalCase) fail('the portal submission is not in the list');

  let c: CaseDto | undefined = (await casesControllerGet({ client: staff, path: { id: portalCase.id } })).data;
  if (!c) fail('read');
  const confirmed = await casesControllerConfirmReceipt({ client: staff, path: { id: c.id }, body: { expectedVersion: c.version, on: process.env.TODAY } });
  if (!confirmed.data) fail('confirm-receipt', confirmed.error);
  c = confirmed.data;
  const corr = await casesControllerRequestCorrection({ client: staff, path: { id: c.id }, body: { expectedVersion: c.version, on: process.env.TODAY, items: ['请写明所需信息的具体名称'] } });
  if (!corr.data) fail('request-correction', corr.error);
  const correctionEnds: string | null = corr.data.periods.correctionPeriodEnds;
  const stale = await casesControllerConfirmReceipt({ client: staff, path: { id: c.id }, body: { expectedVersion: c.version } });
  const staleCode: string | undefined = stale.error?.code;

  // ---- the portal again: the correction asked for, and sent
  const asked = await portalControllerTrack({ client: anonymous, path: { trackingNumber }, headers: { 'X-Query-Code': queryCode } });
  const items: string[] = asked.data?.correctionRequested?.items ?? [];
  const corrected = await portalControllerCorrect({ client: anonymous, path: { trackingNumber }, headers: { 'X-Query-Code': queryCode }, body: { content: '所需信息为2024年度公共预算执行情况报告全文' } });
  if (!corrected.data) fail('portal correction', corrected.error);
  const wrongCode = await portalControllerTrack({ client: anonymous, path: { trackingNumber }, headers: { 'X-Query-Code': 'WRONGWRONG22' } });

  // ---- the portal: the correction notice as a PDF, once the workers have rendered it (its url appears then)
  let letterUrl: string | null = null;
  let letterTitle: string | null = null;
  for (let i = 0; i < 120 && !letterUrl; i++) {
    const seen = await portalControllerTrack({ client: anonymous, path: { trackingNumber }, headers: { 'X-Query-Code': queryCode } });
    const letter = seen.data?.letters.find((l) => l.code === 'correction_notice' && l.url !== null);
    if (letter) {
      letterUrl = letter.url;
      letterTitle = letter.title;
    } else await new Promise((r) => setTimeout(r, 500));
  }
  if (!letterUrl) fail('the correction notice was not rendered');
  const letterId = /\/letters\/([^/]+)\/pdf$/.exec(letterUrl)?.[1];
  if (!letterId) fail(`letter url ${letterUrl}`);
  const pdf = await portalControllerLetterPdf({ client: anonymous, path: { trackingNumber, letterId }, headers: { 'X-Query-Code': queryCode }, parseAs: 'arrayBuffer' });
  if (!pdf.data) fail('letter download', pdf.error);
  // parseAs: arrayBuffer answers an ArrayBuffer; the generated type names the documented body (Blob | File)
  const pdfBytes = new Uint8Array(pdf.data as unknown as ArrayBuffer);
  const letterIsPdf = Buffer.from(pdfBytes.subarray(0, 5)).toString('latin1') === '%PDF-';
  const letterContentType = pdf.response.headers.get('content-type');
  const wrongLetterCode = await portalControllerLetterPdf({ client: anonymous, path: { trackingNumber, letterId }, headers: { 'X-Query-Code': 'WRONGWRONG22' } });

  const history = await casesControllerHistory({ client: staff, path: { id: c.id } });
  if (!history.data) fail('history', history.error);
  const actions: string[] = history.data.items.map((h) => h.action);

  console.log(
    JSON.stringify({
      trackingNumber,
      portalState,
      expected,
      expiresIn,
      myAgency,
      hints,
      due,
      next,
      correctionEnds,
      staleCode,
      items,
      afterCorrection: corrected.data.state,
      wrongCodeStatus: wrongCode.response.status,
      wrongCodeError: wrongCode.error?.code,
      actions,
      letterTitle,
      letterIsPdf,
      letterContentType,
      wrongLetterCodeStatus: wrongLetterCode.response.status,
    }),
  );
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
