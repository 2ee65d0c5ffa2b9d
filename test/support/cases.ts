import type { Person, TestApp } from './test-app';
import { bearer } from './test-app';

/** A valid resident ID (GB 11643 check character computed). */
export function residentId(first17 = '11010519491231002'): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export function applicationBody(over: Record<string, unknown> = {}, applicant: Record<string, unknown> = {}) {
  return {
    applicant: { type: 'natural_person', name: '张三', idType: 'resident_id', idNumber: residentId(), phone: '13800000000', email: 'zhang@example.cn', address: '辽宁省盘锦市兴隆台区', ...applicant },
    description: '申请获取2024年度城市道路维修资金使用情况',
    form: 'electronic',
    delivery: 'email',
    ...over,
  };
}

export async function intake(t: TestApp, p: Person, receiptDate: string, over: Record<string, unknown> = {}, applicant: Record<string, unknown> = {}) {
  const res = await t.http().post('/api/v1/cases').set(bearer(p)).send({ ...applicationBody(over, applicant), channel: 'in_person', receiptDate });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; version: number; state: string; trackingNumber: string; queryCode: string; deadline: Record<string, unknown> } & Record<string, unknown>;
}

/** POST an action with the case's current version. */
export async function act(t: TestApp, p: Person, caseId: string, action: string, body: Record<string, unknown> = {}, version?: number) {
  let v = version;
  if (v === undefined) {
    const cur = await t.http().get(`/api/v1/cases/${caseId}`).set(bearer(p));
    v = cur.body.version;
  }
  return t.http().post(`/api/v1/cases/${caseId}/${action}`).set(bearer(p)).send({ expectedVersion: v, ...body });
}
