import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApprovedSchools } from './approvals';
import { OneRosterAuthGuard } from './auth.guard';
import { OneRosterExceptionFilter } from './exception.filter';
import {
  AccessTokenStrategy,
  TOKEN_SETTINGS,
  TokenSettings,
} from './token.strategy';

/**
 * The API's HTTP policy as providers (so tests get exactly what production gets): the
 * access-token strategy, the deny-by-default guard and the one exception filter. `approvals`
 * is the live approval lookup the guard intersects every token's schools with.
 */
@Module({})
export class OneRosterHttpModule {
  static register(
    tokens: TokenSettings,
    approvals: Type<ApprovedSchools>,
  ): DynamicModule {
    return {
      module: OneRosterHttpModule,
      imports: [PassportModule],
      providers: [
        { provide: TOKEN_SETTINGS, useValue: tokens },
        { provide: ApprovedSchools, useClass: approvals },
        AccessTokenStrategy,
        { provide: APP_GUARD, useClass: OneRosterAuthGuard },
        { provide: APP_FILTER, useClass: OneRosterExceptionFilter },
      ],
    };
  }
}
