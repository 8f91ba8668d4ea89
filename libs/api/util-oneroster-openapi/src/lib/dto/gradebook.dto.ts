import { CATEGORY, LINE_ITEM, RESULT } from '@oneroster/oneroster-catalogue';
import { BaseDto } from './base.dto';
import { describeClass } from './describe';

/*
 * The gradebook schemas. Their properties, descriptions and examples are the catalogue's
 * REST fields of each class (see describe.ts).
 */

/** OneRoster 1.1 LineItemCategory (§5.11), returned by `/categories`. */
export class CategoryDto extends BaseDto {}
describeClass(CategoryDto, CATEGORY);

/** OneRoster 1.1 LineItem (§5.9), returned by `/lineItems`: a gradable assignment of a class. */
export class LineItemDto extends BaseDto {}
describeClass(LineItemDto, LINE_ITEM);

/** OneRoster 1.1 Result (§5.10), returned by `/results`: a student's score on a line item. */
export class ResultDto extends BaseDto {}
describeClass(ResultDto, RESULT);
