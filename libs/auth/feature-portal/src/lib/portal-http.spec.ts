import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import { PortalProblem } from '@oneroster/data-access-portal';
import { readCookie } from './cookies';
import { safeReturnTo } from './return-to';
import { toPortalError } from './portal-exception.filter';

describe('safeReturnTo', () => {
  it.each([
    ['/approvals?school=1', '/approvals?school=1'],
    ['/', '/'],
    [undefined, '/'],
    ['https://evil.example.com/', '/'],
    ['//evil.example.com/', '/'],
    ['/\\evil.example.com', '/'],
    ['/a\r\nSet-Cookie: x=1', '/'],
    ['approvals', '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });
});

describe('toPortalError', () => {
  it("keeps a problem's code, message and fields", () => {
    expect(
      toPortalError(
        new PortalProblem('invalid_request', 'bad', { name: 'is required' }),
      ),
    ).toEqual({
      statusCode: 400,
      error: 'invalid_request',
      message: 'bad',
      fields: { name: 'is required' },
    });
  });

  it('maps framework errors by status and hides unexpected ones', () => {
    expect(toPortalError(new BadRequestException('nope'))).toMatchObject({
      statusCode: 400,
      error: 'invalid_request',
    });
    const hidden = toPortalError(new Error('SELECT * FROM secrets failed'));
    expect(hidden).toEqual({
      statusCode: 500,
      error: 'server_error',
      message: expect.not.stringContaining('SELECT'),
    });
  });
});

describe('readCookie', () => {
  const req = (cookie?: string) => ({ headers: { cookie } }) as Request;

  it('finds a cookie among others and decodes it', () => {
    expect(
      readCookie(req('a=1; portal_session=x%2By; b=2'), 'portal_session'),
    ).toBe('x+y');
    expect(
      readCookie(req('portal_session_x=1'), 'portal_session'),
    ).toBeUndefined();
    expect(readCookie(req(), 'portal_session')).toBeUndefined();
    expect(
      readCookie(req('portal_session=%E0%A4%A'), 'portal_session'),
    ).toBeUndefined();
  });
});
