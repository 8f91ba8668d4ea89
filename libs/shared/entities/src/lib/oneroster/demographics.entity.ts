import { Entity } from 'typeorm';
import type { Gender } from '@oneroster/contracts';
import { Bool, DateOnly, OneRosterRecord, Str } from '../columns';

/** OneRoster Demographics (§5.5). Its sourcedId is the user's sourcedId. */
@Entity({ name: 'demographics' })
export class DemographicsEntity extends OneRosterRecord {
  @DateOnly('birth_date')
  birthDate!: string | null;

  @Str('sex', 16)
  sex!: Gender | null;

  @Bool('american_indian_or_alaska_native')
  americanIndianOrAlaskaNative!: boolean | null;

  @Bool('asian')
  asian!: boolean | null;

  @Bool('black_or_african_american')
  blackOrAfricanAmerican!: boolean | null;

  @Bool('native_hawaiian_or_other_pacific_islander')
  nativeHawaiianOrOtherPacificIslander!: boolean | null;

  @Bool('white')
  white!: boolean | null;

  @Bool('demographic_race_two_or_more_races')
  demographicRaceTwoOrMoreRaces!: boolean | null;

  @Bool('hispanic_or_latino_ethnicity')
  hispanicOrLatinoEthnicity!: boolean | null;

  @Str('country_of_birth_code', 16)
  countryOfBirthCode!: string | null;

  @Str('state_of_birth_abbreviation', 16)
  stateOfBirthAbbreviation!: string | null;

  @Str('city_of_birth')
  cityOfBirth!: string | null;

  @Str('public_school_residence_status', 64)
  publicSchoolResidenceStatus!: string | null;
}
