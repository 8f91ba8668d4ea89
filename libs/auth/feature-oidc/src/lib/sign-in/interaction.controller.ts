import {
  Controller,
  Get,
  Inject,
  Logger,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { OIDC_PROVIDER, OIDC_SETTINGS, OidcSettings } from '../oidc-settings';
import { FormTooLarge, readForm } from './form-body';
import { PASSWORD_MIN_LENGTH } from '@oneroster/contracts';
import { PortalProblem } from '@oneroster/data-access-portal';
import { clientAddress } from '@oneroster/util-web-hygiene';
import {
  messagePage,
  originOf,
  passwordChangePage,
  setPageHeaders,
  signInPage,
} from './pages';
import { SignInService } from './sign-in.service';

/**
 * The sign-in pages of the OpenID Connect flow (oidc-provider's interactions; its development
 * pages are off). Contract: `GET /interaction/:uid` shows the form, `POST
 * /interaction/:uid/login` takes the fields `email` and `password`, `POST
 * /interaction/:uid/abort` cancels (the client gets `access_denied`). Rules enforced:
 * - the interaction is read from its cookie (HttpOnly, SameSite=Lax, path `/interaction/<uid>`)
 *   and must be the one in the URL: a request from another site carries no cookie, so it
 *   cannot sign anyone in (CSRF); an `Origin` header, when sent, must be this server's;
 * - a wrong email or password re-shows the form with one message
 *   ("The email address or password is wrong") and status 401; too many attempts (per email
 *   and IP address, per email, or for the whole service) answer 429 with `Retry-After`;
 * - sign-in throttling unavailable (Redis unreachable) or every password check slot taken:
 *   503 with `Retry-After` and a "try again" message, never a 500 and never an unthrottled
 *   attempt;
 * - the client's address is the one derived on arrival (`clientAddress` of
 *   @oneroster/util-web-hygiene: X-Forwarded-For counts only as far as AUTH_TRUST_PROXY
 *   trusts the hops);
 * - a disabled account with the right password gets "This account is disabled" (403);
 * - an account holding a one-time password does not sign in yet: the interaction remembers
 *   the checked account (its result, without `login`) and shows the new-password form; `POST
 *   /interaction/:uid/password` (`newPassword`, `confirmPassword`) sets it under the policy
 *   and only then completes the sign-in;
 * - the only sign-in prompt is `login`: consent is the school's approval (loadExistingGrant);
 * - an expired or unknown interaction gets an error page (400), never a redirect.
 */
@ApiExcludeController()
@Controller('interaction')
export class InteractionController {
  private readonly logger = new Logger('sign-in');
  private readonly origin: string;
  private readonly secure: boolean;

  constructor(
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    @Inject(SignInService) private readonly signIn: SignInService,
  ) {
    const issuer = new URL(settings.issuer);
    this.origin = issuer.origin;
    this.secure = issuer.protocol === 'https:';
  }

  @Get(':uid')
  async show(
    @Param('uid') uid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const details = await this.details(uid, req, res);
    if (!details) return;
    this.render(res, 200, details, signInPageFor(uid, details.clientName));
  }

  @Post(':uid/login')
  async login(
    @Param('uid') uid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.sameOrigin(req, res)) return;
    const details = await this.details(uid, req, res);
    if (!details) return;
    const form = await this.form(req, res);
    if (!form) return;
    const email = (form['email'] ?? '').trim().slice(0, 320);
    const password = (form['password'] ?? '').slice(0, 1024);
    const page = signInPageFor(uid, details.clientName);
    if (!email || !password) {
      this.render(res, 400, details, {
        ...page,
        email,
        error: 'Enter your email address and password.',
      });
      return;
    }
    const result = await this.signIn.signIn(email, password, this.ip(req));
    if (result.outcome === 'unavailable' || result.outcome === 'busy') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      this.render(res, 503, details, {
        ...page,
        email,
        error:
          result.outcome === 'busy'
            ? 'The server is busy. Try again in a moment.'
            : 'Sign-in is not available right now. Try again later.',
      });
      return;
    }
    if (result.outcome === 'throttled') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      this.render(res, 429, details, {
        ...page,
        email,
        error: `Too many failed attempts. Try again in ${waitText(result.retryAfterSeconds)}.`,
      });
      return;
    }
    if (result.outcome === 'refused') {
      this.render(res, 401, details, {
        ...page,
        email,
        error: 'The email address or password is wrong.',
      });
      return;
    }
    if (result.outcome === 'disabled') {
      this.render(res, 403, details, {
        ...page,
        email,
        error:
          'This account is disabled. Ask a platform operator to enable it.',
      });
      return;
    }
    if (result.mustChangePassword) {
      await this.provider.interactionResult(
        req,
        res,
        { passwordChange: { accountId: result.accountId, email } },
        { mergeWithLastSubmission: false },
      );
      this.renderPasswordChange(res, 200, uid, details, email);
      return;
    }
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId: result.accountId } },
      { mergeWithLastSubmission: false },
    );
  }

  @Post(':uid/password')
  async password(
    @Param('uid') uid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.sameOrigin(req, res)) return;
    const details = await this.details(uid, req, res);
    if (!details) return;
    const pending = details.passwordChange;
    if (!pending) {
      this.message(
        res,
        400,
        'Sign-in expired',
        'Sign in with your email address and password first.',
      );
      return;
    }
    const form = await this.form(req, res);
    if (!form) return;
    const newPassword = form['newPassword'] ?? '';
    if (newPassword !== (form['confirmPassword'] ?? '')) {
      this.renderPasswordChange(
        res,
        400,
        uid,
        details,
        pending.email,
        'The two passwords differ.',
      );
      return;
    }
    try {
      await this.signIn.setFirstPassword(
        pending.accountId,
        newPassword,
        this.ip(req),
      );
    } catch (err) {
      if (!(err instanceof PortalProblem)) throw err;
      if (err.code !== 'invalid_request') {
        this.message(res, err.statusCode, 'Sign-in not possible', err.message);
        return;
      }
      const problem = err.fields?.['newPassword'] ?? err.message;
      this.renderPasswordChange(
        res,
        400,
        uid,
        details,
        pending.email,
        `The new password ${problem}.`,
      );
      return;
    }
    this.logger.log(`first password set: account=${pending.accountId}`);
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId: pending.accountId } },
      { mergeWithLastSubmission: false },
    );
  }

  @Post(':uid/abort')
  async abort(
    @Param('uid') uid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.sameOrigin(req, res)) return;
    const details = await this.details(uid, req, res);
    if (!details) return;
    await this.provider.interactionFinished(
      req,
      res,
      {
        error: 'access_denied',
        error_description: 'the user cancelled the sign-in',
      },
      { mergeWithLastSubmission: false },
    );
  }

  /** The interaction this browser is in, when it is the one in the URL; else an error page. */
  private async details(
    uid: string,
    req: Request,
    res: Response,
  ): Promise<{
    redirectOrigin: string | null;
    clientName: string;
    passwordChange: { accountId: string; email: string } | null;
  } | null> {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await this.provider.interactionDetails(req, res);
    } catch {
      details = undefined as never;
    }
    if (!details || details.uid !== uid) {
      this.message(
        res,
        400,
        'Sign-in expired',
        'This sign-in page has expired or was opened in another browser. Go back to the application and start again.',
      );
      return null;
    }
    if (details.prompt.name !== 'login') {
      this.logger.warn(
        `unexpected interaction prompt ${details.prompt.name} (${details.prompt.reasons.join(', ')})`,
      );
      this.message(
        res,
        400,
        'Sign-in not possible',
        'This application asked for something this server does not offer. Go back to the application and start again.',
      );
      return null;
    }
    const clientId = String(details.params['client_id'] ?? '');
    const client = clientId
      ? await this.provider.Client.find(clientId).catch(() => undefined)
      : undefined;
    const change = (
      details.result as
        | { passwordChange?: { accountId?: unknown; email?: unknown } }
        | undefined
    )?.passwordChange;
    return {
      redirectOrigin: originOf(details.params['redirect_uri']),
      clientName: client?.clientName ?? clientId,
      passwordChange:
        typeof change?.accountId === 'string'
          ? { accountId: change.accountId, email: String(change.email ?? '') }
          : null,
    };
  }

  private sameOrigin(req: Request, res: Response): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || origin === this.origin) return true;
    // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for a form on
    // its own origin; Sec-Fetch-Site (set by the browser, never by a page) tells them apart.
    if (origin === 'null' && req.headers['sec-fetch-site'] === 'same-origin')
      return true;
    this.logger.warn(`sign-in form posted from another origin: ${origin}`);
    this.message(
      res,
      403,
      'Sign-in refused',
      'The sign-in form was sent from another site.',
    );
    return false;
  }

  private render(
    res: Response,
    status: number,
    details: { redirectOrigin: string | null },
    page: Parameters<typeof signInPage>[1],
  ): void {
    const nonce = setPageHeaders(res, {
      secure: this.secure,
      formTargets: [details.redirectOrigin],
    });
    res.status(status).type('html').send(signInPage(nonce, page));
  }

  private renderPasswordChange(
    res: Response,
    status: number,
    uid: string,
    details: { redirectOrigin: string | null; clientName: string },
    email: string,
    error?: string,
  ): void {
    const nonce = setPageHeaders(res, {
      secure: this.secure,
      formTargets: [details.redirectOrigin],
    });
    res
      .status(status)
      .type('html')
      .send(
        passwordChangePage(nonce, {
          action: `/interaction/${encodeURIComponent(uid)}/password`,
          clientName: details.clientName,
          email,
          minLength: PASSWORD_MIN_LENGTH,
          error,
        }),
      );
  }

  /** The posted form, or null once a form over the size limit has been answered with 413. */
  private async form(
    req: Request,
    res: Response,
  ): Promise<Record<string, string> | null> {
    try {
      return await readForm(req);
    } catch (err) {
      if (!(err instanceof FormTooLarge)) throw err;
      this.message(res, 413, 'Sign-in failed', 'The form was too large.');
      return null;
    }
  }

  /** The client's address, derived once on arrival under AUTH_TRUST_PROXY. */
  private ip(req: Request): string {
    return clientAddress(req);
  }

  private message(
    res: Response,
    status: number,
    title: string,
    text: string,
  ): void {
    const nonce = setPageHeaders(res, { secure: this.secure });
    res
      .status(status)
      .type('html')
      .send(messagePage(nonce, title, text));
  }
}

const waitText = (seconds: number) =>
  seconds < 90
    ? `${seconds} second${seconds === 1 ? '' : 's'}`
    : `${Math.ceil(seconds / 60)} minutes`;

const signInPageFor = (uid: string, clientName: string) => ({
  action: `/interaction/${encodeURIComponent(uid)}/login`,
  clientName,
});
