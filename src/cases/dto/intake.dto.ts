import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsNotEmptyObject, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ID_TYPES, type IdType } from '../../statute/id-number';
import { IsIsoDate } from '../../common/validation/validators';
import { APPLICANT_TYPES, CHANNELS, DELIVERY_METHODS, FORMS, type ApplicantType, type Channel, type DeliveryMethod, type InformationForm } from '../../statute/intake';

/** 申请人 */
export class ApplicantDto {
  @ApiProperty({ enum: APPLICANT_TYPES, description: '自然人或法人/其他组织的类别（年报口径）' })
  @IsIn(APPLICANT_TYPES)
  type: ApplicantType;

  @ApiProperty({ example: '张三', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: ID_TYPES, description: '身份证件类型；resident_id 与 uscc 校验校验码' })
  @IsIn(ID_TYPES)
  idType: IdType;

  @ApiProperty({ example: '11010519491231002X', maxLength: 40 })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  idNumber: string;

  @ApiPropertyOptional({ example: '13800000000', maxLength: 30 })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9+\-() ]{5,30}$/, { message: 'isPhone' })
  phone?: string;

  @ApiPropertyOptional({ example: 'applicant@example.cn' })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string;
}

/** The application body shared by the portal and clerk intake (api-contract). */
export class ApplicationBodyDto {
  @ApiProperty({ type: ApplicantDto })
  @IsDefined()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant: ApplicantDto;

  @ApiProperty({ description: '申请获取的政府信息的描述', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  description: string;

  @ApiPropertyOptional({ description: '文号', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  documentNumber?: string;

  @ApiProperty({ enum: FORMS, description: '获取信息的载体形式' })
  @IsIn(FORMS)
  form: InformationForm;

  @ApiProperty({ enum: DELIVERY_METHODS, description: '获取信息的方式' })
  @IsIn(DELIVERY_METHODS)
  delivery: DeliveryMethod;
}

/** Clerk intake: always with the channel and the Art 31 receipt date the clerk established. */
export class ClerkIntakeDto extends ApplicationBodyDto {
  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiProperty({ example: '2024-09-27', description: '收到申请之日（条例第三十一条）；不得晚于今天，可为非工作日' })
  @IsIsoDate()
  receiptDate: string;

  @ApiPropertyOptional({ description: '受理机关；默认为经办人所在机关' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  agencyId?: string;
}

/** Portal intake: no channel or receipt date (those are the agency's to establish). */
export class PortalIntakeDto extends ApplicationBodyDto {
  @ApiPropertyOptional({ description: '受理机关（默认：平台的本级政府机关）' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  agencyId?: string;
}
