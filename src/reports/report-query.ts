import { ApiProperty } from '@nestjs/swagger';

export const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
export const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** The agency a report is about, by name (agencies are known by name on the platform). */
export class ReportAgencyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}
