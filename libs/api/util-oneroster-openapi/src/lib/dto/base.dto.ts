import { describeBase } from './describe';

export { GuidRefDto, UserIdDto } from './refs.dto';

/**
 * Properties shared by every OneRoster 1.1 object (§5.0): the catalogue's base
 * fields. Not used on its own; every entity schema extends it.
 */
export abstract class BaseDto {}
describeBase(BaseDto);
