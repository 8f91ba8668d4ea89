import { RESOURCE_CLASS } from '@oneroster/oneroster-catalogue';
import { BaseDto } from './base.dto';
import { describeClass } from './describe';

/**
 * OneRoster 1.1 Resource (§5.11), returned by `/resources`: learning content used by classes
 * and courses. Its properties are the catalogue's REST fields of the class (see describe.ts).
 */
export class ResourceDto extends BaseDto {}
describeClass(ResourceDto, RESOURCE_CLASS);
