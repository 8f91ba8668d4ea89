/**
 * The kinds of data a school administrator reads in the usage figures: what an integrator
 * read, in plain words. Which route reads which kind is decided once, by the collection the
 * route returns (`usageCategoryOf` of @oneroster/oneroster-catalogue).
 */
export const USAGE_CATEGORY_KEYS = [
  'pupils',
  'staff',
  'people',
  'classes',
  'enrolments',
  'demographics',
  'results',
  'schools',
  'resources',
  'other',
] as const;
export type UsageCategoryKey = (typeof USAGE_CATEGORY_KEYS)[number];

/** The words the portal shows for each kind (`other`: requests outside OneRoster's routes). */
export const USAGE_CATEGORY_LABELS: Readonly<Record<UsageCategoryKey, string>> =
  {
    pupils: 'Pupils',
    staff: 'Staff',
    people: 'People of any role',
    classes: 'Classes and courses',
    enrolments: 'Enrolments',
    demographics: 'Demographics',
    results: 'Assignments and results',
    schools: 'Schools and terms',
    resources: 'Learning resources',
    other: 'Other requests',
  };
