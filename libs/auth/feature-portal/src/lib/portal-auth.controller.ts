import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PORTAL_CSRF_HEADER } from '@oneroster/contracts';
import {
  loadActor,
  PortalProblem,
  PortalSessions,
  recordAudit,
} from '@oneroster/data-access-portal';
import { OIDC_SETTINGS, type OidcSettings } from '@oneroster/feature-oidc';
import { clientAddress } from '@oneroster/util-web-hygiene';
import {
  clearCookie,
  LOGIN_COOKIE_PATH,
  PORTAL_LOGIN_COOKIE,
  PORTAL_SESSION_COOKIE,
  readCookie,
  SESSION_COOKIE_PATH,
  setCookie,
} from './cookies';
import { PortalExceptionFilter } from './portal-exception.filter';
import { safeReturnTo } from './return-to';
import { PORTAL_SETTINGS, type PortalSettings } from './portal-settings';

type OpenIdClient = typeof import('openid-client');
type OidcConfiguration = import('openid-client').Configuration;

/**
 * The portal's backend-for-frontend sign-in (the browser never holds a token):
 * - login: authorization code + PKCE (S256) + state + nonce against this server's own
 *   issuer, as the `admin-portal` client; the verifier, state and nonce stay server-side,
 *   keyed by a short-lived HttpOnly cookie;
 * - callback: exchanges the code (state, nonce, PKCE and the ID token checked by
 *   openid-client), then opens a new session: a fresh cookie value (no fixation) and a
 *   per-session CSRF token; `returnTo` is a path on the portal only (no open redirect);
 * - logout: deletes the session (CSRF token required when there is one) and answers the
 *   authorization server's end-session URL with the ID token as hint.
 */
@ApiExcludeController()
@UseFilters(PortalExceptionFilter)
@Controller('portal/auth')
export class PortalAuthController {
  private readonly logger = new Logger('portal');
  private readonly secure: boolean;
  private readonly adminUrl: string;
  private config: Promise<{
    client: OpenIdClient;
    config: OidcConfiguration;
    redirectUri: string;
    postLogoutRedirectUri: string;
  }> | null = null;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(PortalSessions) private readonly sessions: PortalSessions,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {
    this.adminUrl = settings.adminPublicUrl.replace(/\/$/, '');
    this.secure = new URL(this.adminUrl).protocol === 'https:';
  }

  @Get('login')
  async login(
    @Query('returnTo') returnTo: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { client, config, redirectUri } = await this.oidc();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const cookie = await this.sessions.beginLogin({
      state,
      nonce,
      codeVerifier,
      returnTo: safeReturnTo(returnTo),
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    setCookie(res, PORTAL_LOGIN_COOKIE, cookie, {
      secure: this.secure,
      path: LOGIN_COOKIE_PATH,
      maxAgeSeconds: 600,
    });
    res.redirect(302, url.href);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const login = await this.sessions.takeLogin(
      readCookie(req, PORTAL_LOGIN_COOKIE),
    );
    clearCookie(res, PORTAL_LOGIN_COOKIE, {
      secure: this.secure,
      path: LOGIN_COOKIE_PATH,
    });
    if (!login)
      throw new PortalProblem(
        'invalid_request',
        'the sign-in expired or was already used; sign in again',
      );
    const { client, config, redirectUri } = await this.oidc();
    const current = new URL(redirectUri);
    current.search = new URL(req.originalUrl, 'http://x').search;
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      this.logger.warn(
        `portal sign-in refused: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw new PortalProblem(
        'invalid_request',
        'the sign-in did not complete; sign in again',
      );
    }
    const sub = tokens.claims()?.sub;
    const actor = sub
      ? await loadActor(this.ds, sub, clientAddress(req))
      : null;
    if (!actor)
      throw new PortalProblem(
        'forbidden',
        'this account may not use the portal',
      );
    const { cookie } = await this.sessions.create(
      actor.account.id,
      tokens.id_token ?? null,
    );
    await recordAudit(this.ds, actor, {
      action: 'session.signed_in',
      targetType: 'account',
      targetId: actor.account.id,
    });
    setCookie(res, PORTAL_SESSION_COOKIE, cookie, {
      secure: this.secure,
      path: SESSION_COOKIE_PATH,
    });
    res.redirect(302, `${this.adminUrl}${login.returnTo}`);
  }

  @Post('logout')
  @HttpCode(200)
  async logout(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ endSessionUrl: string }> {
    const cookie = readCookie(req, PORTAL_SESSION_COOKIE);
    const live = await this.sessions.resolve(cookie);
    if (live) {
      const token = req.header(PORTAL_CSRF_HEADER) ?? '';
      const a = Buffer.from(token);
      const b = Buffer.from(live.csrfToken);
      if (a.length !== b.length || !timingSafeEqual(a, b))
        throw new PortalProblem(
          'csrf',
          `missing or wrong ${PORTAL_CSRF_HEADER} header`,
        );
    }
    const ended = await this.sessions.end(cookie);
    clearCookie(res, PORTAL_SESSION_COOKIE, {
      secure: this.secure,
      path: SESSION_COOKIE_PATH,
    });
    if (ended?.accountId) {
      const actor = await loadActor(
        this.ds,
        ended.accountId,
        clientAddress(req),
      );
      if (actor)
        await recordAudit(this.ds, actor, {
          action: 'session.signed_out',
          targetType: 'account',
          targetId: actor.account.id,
        });
    }
    return { endSessionUrl: await this.endSessionUrl(ended?.idToken ?? null) };
  }

  private async endSessionUrl(idToken: string | null): Promise<string> {
    try {
      const { client, config, postLogoutRedirectUri } = await this.oidc();
      if (!config.serverMetadata().end_session_endpoint)
        return `${this.adminUrl}/`;
      return client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).href;
    } catch {
      return `${this.adminUrl}/`;
    }
  }

  /** Discovery of this server's own issuer, once (retried after a failure). */
  private oidc() {
    this.config ??= this.discover().catch((err: unknown) => {
      this.config = null;
      this.logger.error(
        `portal sign-in unavailable: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw new PortalProblem(
        'invalid_request',
        'sign-in is not available right now; try again later',
      );
    });
    return this.config;
  }

  private async discover() {
    const client = await import('openid-client');
    // The authorization server registers the portal's client from these same settings.
    const portal = this.moduleRef.get<OidcSettings>(OIDC_SETTINGS, {
      strict: false,
    }).portalClient;
    if (!portal) throw new Error('the admin-portal client is not configured');
    const expected = `${this.adminUrl}/portal/auth/callback`;
    const redirectUri = portal.redirectUris.includes(expected)
      ? expected
      : portal.redirectUris[0];
    const issuer = new URL(this.settings.issuer);
    const config = await client.discovery(
      issuer,
      portal.clientId,
      portal.clientSecret,
      undefined,
      issuer.protocol === 'http:'
        ? { execute: [client.allowInsecureRequests] }
        : undefined,
    );
    return {
      client,
      config,
      redirectUri,
      postLogoutRedirectUri:
        portal.postLogoutRedirectUris[0] ?? `${this.adminUrl}/`,
    };
  }
}
