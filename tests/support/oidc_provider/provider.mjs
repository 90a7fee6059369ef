// A PKCE-enforcing OpenID Connect provider for Sampark's SSO tests (tests/integration/sso/test_sso_pkce.py).
//
// panva's oidc-provider (the OpenID-certified reference implementation) with:
// - one confidential client (client_secret_basic or _post) whose redirect URIs are Sampark's
//   `<SAMPARK_RP_BASE>/login/sso/<slug>/callback` for any tenant slug;
// - PKCE required for every authorization request, S256 only ("plain" is refused);
// - the conforming default `conformIdTokenClaims: true`: the id_token carries only `sub` (and the protocol
//   claims); email, email_verified and name come from the userinfo endpoint alone;
// - test accounts, signed in and consenting automatically: the interaction page finishes the login without
//   a form, so a test drives the whole flow with plain HTTP redirects. The account is `pkce-user` unless the
//   authorization request names another with `login_hint` (a test adds it to the URL):
//     `userinfo-other-sub`  userinfo answers with a different `sub` than the id_token's;
//     `userinfo-fails`      userinfo answers 500 (server_error);
//     `userinfo-slow`       userinfo answers after 3 seconds.
//
// Usage: node provider.mjs <port>   (settings from the environment, defaults below)
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, SAMPARK_RP_BASE, OIDC_ACCOUNT_EMAIL, OIDC_ACCOUNT_NAME

import Provider from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.OIDC_CLIENT_ID || 'sampark-pkce';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'pkce-test-secret';
const rpBase = (process.env.SAMPARK_RP_BASE || 'http://testserver').replace(/\/+$/, '');
const email = process.env.OIDC_ACCOUNT_EMAIL || 'pkce-user@example.com';
const person = (sub) => ({
  sub,
  email: sub === 'pkce-user' ? email : `${sub}.${email}`,
  email_verified: true,
  name: process.env.OIDC_ACCOUNT_NAME || 'Pat Kce',
});
// What userinfo does for each account (`use` is "id_token" or "userinfo").
const userinfoBehaviour = {
  'pkce-user': async (claims) => claims,
  'userinfo-other-sub': async (claims) => ({ ...claims, sub: 'someone-else' }),
  'userinfo-fails': async () => {
    throw new Error('userinfo is broken for this test account');
  },
  'userinfo-slow': async (claims) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return claims;
  },
};
const findAccount = (ctx, id) =>
  Object.hasOwn(userinfoBehaviour, id)
    ? { accountId: id, claims: (use) => (use === 'userinfo' ? userinfoBehaviour[id](person(id)) : person(id)) }
    : undefined;
const callback = new RegExp(`^${rpBase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/login/sso/[a-z0-9-]+/callback$`);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [`${rpBase}/login/sso/any/callback`],
    },
  ],
  pkce: { required: () => true, methods: ['S256'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The default, spelled out: scope claims only from userinfo, so a sign-in proves we read it.
  conformIdTokenClaims: true,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount,
  cookies: { keys: ['sampark-test-oidc-provider-cookie-key'] },
});

// Every tenant has its own callback path; accept them all, and nothing else.
provider.Client.prototype.redirectUriAllowed = (value) => callback.test(value);

// The "login page": sign the test account in and grant what the client asked for, with no form.
provider.use(async (ctx, next) => {
  const match = ctx.method === 'GET' && ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const interaction = await provider.interactionDetails(ctx.req, ctx.res);
  const hint = interaction.params.login_hint;
  const accountId = Object.hasOwn(userinfoBehaviour, hint ?? '') ? hint : 'pkce-user';
  const grant = new provider.Grant({ accountId, clientId: interaction.params.client_id });
  grant.addOIDCScope(interaction.params.scope);
  const result = { login: { accountId }, consent: { grantId: await grant.save() } };
  ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  ctx.status = 303;
});

// Log why a request was refused (stderr is kept by the test fixture for failures).
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.on('grant.error', (ctx, error) => console.error('grant.error', error.message, error.error_detail));
provider.on('authorization.error', (ctx, error) => console.error('authorization.error', error.error_description));
// Test-only: the access tokens issued, so a test can prove Sampark never logs one (an opaque token's value is its jti).
provider.on('access_token.saved', (token) => console.log('access_token.saved', token.jti));

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
