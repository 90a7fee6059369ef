// A PKCE-enforcing OpenID Connect provider for Sampark's SSO tests (tests/integration/sso/test_sso_pkce.py).
//
// panva's oidc-provider (the OpenID-certified reference implementation) with:
// - one confidential client (client_secret_basic or _post) whose redirect URIs are Sampark's
//   `<SAMPARK_RP_BASE>/login/sso/<slug>/callback` for any tenant slug;
// - PKCE required for every authorization request, S256 only ("plain" is refused);
// - one test account, signed in and consenting automatically: the interaction page finishes the login
//   without a form, so a test drives the whole flow with plain HTTP redirects.
//
// Usage: node provider.mjs <port>   (settings from the environment, defaults below)
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, SAMPARK_RP_BASE, OIDC_ACCOUNT_EMAIL, OIDC_ACCOUNT_NAME

import Provider from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.OIDC_CLIENT_ID || 'sampark-pkce';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'pkce-test-secret';
const rpBase = (process.env.SAMPARK_RP_BASE || 'http://testserver').replace(/\/+$/, '');
const account = {
  sub: 'pkce-user',
  email: process.env.OIDC_ACCOUNT_EMAIL || 'pkce-user@example.com',
  email_verified: true,
  name: process.env.OIDC_ACCOUNT_NAME || 'Pat Kce',
};
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
  // Sampark reads the person from the id_token (it does not call userinfo), as the big providers allow.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (ctx, id) => (id === account.sub ? { accountId: id, claims: () => account } : undefined),
  cookies: { keys: ['sampark-test-oidc-provider-cookie-key'] },
});

// Every tenant has its own callback path; accept them all, and nothing else.
provider.Client.prototype.redirectUriAllowed = (value) => callback.test(value);

// The "login page": sign the test account in and grant what the client asked for, with no form.
provider.use(async (ctx, next) => {
  const match = ctx.method === 'GET' && ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const interaction = await provider.interactionDetails(ctx.req, ctx.res);
  const grant = new provider.Grant({ accountId: account.sub, clientId: interaction.params.client_id });
  grant.addOIDCScope(interaction.params.scope);
  const result = { login: { accountId: account.sub }, consent: { grantId: await grant.save() } };
  ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  ctx.status = 303;
});

// Log why a request was refused (stderr is kept by the test fixture for failures).
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.on('grant.error', (ctx, error) => console.error('grant.error', error.message, error.error_detail));
provider.on('authorization.error', (ctx, error) => console.error('authorization.error', error.error_description));

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
