/** The demo city: 盘锦市 (the seed document's city), its government office, four departments and two districts. */
export interface DemoAgency {
  key: string;
  name: string;
  code: string;
  parent: string | null;
  reconsiderationBody: string;
  court: string;
  prefix: string;
}

export const DEMO_AGENCIES: DemoAgency[] = [
  { key: 'office', name: '盘锦市人民政府办公室', code: 'pj-gov-office', parent: null, reconsiderationBody: '盘锦市人民政府', court: '盘锦市中级人民法院', prefix: '盘政办依' },
  { key: 'edu', name: '盘锦市教育局', code: 'pj-edu', parent: 'office', reconsiderationBody: '盘锦市人民政府', court: '盘锦市兴隆台区人民法院', prefix: '盘教依' },
  { key: 'nr', name: '盘锦市自然资源局', code: 'pj-nr', parent: 'office', reconsiderationBody: '盘锦市人民政府', court: '盘锦市兴隆台区人民法院', prefix: '盘自然资依' },
  { key: 'hrss', name: '盘锦市人力资源和社会保障局', code: 'pj-hrss', parent: 'office', reconsiderationBody: '盘锦市人民政府', court: '盘锦市兴隆台区人民法院', prefix: '盘人社依' },
  { key: 'housing', name: '盘锦市住房和城乡建设局', code: 'pj-housing', parent: 'office', reconsiderationBody: '盘锦市人民政府', court: '盘锦市兴隆台区人民法院', prefix: '盘住建依' },
  { key: 'xlt', name: '盘锦市兴隆台区人民政府', code: 'pj-xinglongtai', parent: 'office', reconsiderationBody: '盘锦市人民政府', court: '盘锦市中级人民法院', prefix: '兴政依' },
  { key: 'sz', name: '盘锦市双台子区人民政府', code: 'pj-shuangtaizi', parent: 'office', reconsiderationBody: '盘锦市人民政府', court: '盘锦市中级人民法院', prefix: '双政依' },
];

export const DEMO_PEOPLE: Record<string, { role: 'clerk' | 'supervisor' | 'auditor'; name: string }[]> = {
  office: [
    { role: 'clerk', name: '王丽' },
    { role: 'supervisor', name: '刘建国' },
    { role: 'auditor', name: '陈静' },
  ],
  edu: [
    { role: 'clerk', name: '赵敏' },
    { role: 'supervisor', name: '孙志强' },
    { role: 'auditor', name: '周红' },
  ],
  nr: [
    { role: 'clerk', name: '吴磊' },
    { role: 'supervisor', name: '郑海' },
    { role: 'auditor', name: '冯雪' },
  ],
  hrss: [
    { role: 'clerk', name: '褚洁' },
    { role: 'supervisor', name: '卫东' },
    { role: 'auditor', name: '蒋芳' },
  ],
  housing: [
    { role: 'clerk', name: '沈涛' },
    { role: 'supervisor', name: '韩梅' },
    { role: 'auditor', name: '杨帆' },
  ],
  xlt: [
    { role: 'clerk', name: '朱琳' },
    { role: 'supervisor', name: '秦刚' },
    { role: 'auditor', name: '尤佳' },
  ],
  sz: [
    { role: 'clerk', name: '许燕' },
    { role: 'supervisor', name: '何平' },
    { role: 'auditor', name: '吕波' },
  ],
};
