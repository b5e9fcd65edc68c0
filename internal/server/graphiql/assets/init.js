// Boots GraphiQL on the CareQueue page. It lives in a file, not inline in the page, because the page's
// Content-Security-Policy allows scripts from 'self' only. The server writes the endpoints into data-
// attributes of #graphiql.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var data = root.dataset;

  // GraphiQL's fetcher wants absolute URLs; the page is given paths so it works behind any host name.
  function absolute(path, wsScheme) {
    var u = new URL(path, window.location.href);
    if (wsScheme && u.protocol === 'http:') u.protocol = 'ws:';
    if (wsScheme && u.protocol === 'https:') u.protocol = 'wss:';
    return u.href;
  }

  // Plain JSON answers rather than the multipart incremental-delivery stream (the API has no @defer),
  // so the fetcher below can read each result for a new access token.
  var fetcherOptions = { url: absolute(data.endpoint, false), enableIncrementalDelivery: false };
  if (data.subscriptionEndpoint) {
    // The headers editor's content reaches the server as graphql-ws connectionParams.
    fetcherOptions.subscriptionUrl = absolute(data.subscriptionEndpoint, true);
  }

  // GraphiQL's history plugin saves each query's headers in localStorage whatever shouldPersistHeaders
  // says (graphiql 4.1.2), and a bearer token must not outlive the tab. This storage is GraphiQL's
  // default (localStorage, only "graphiql:" keys) except that every "headers" value is stored as null,
  // the way GraphiQL itself strips headers from its tab state.
  var namespace = 'graphiql:';
  var storage = {
    getItem: function (key) { return localStorage.getItem(key); },
    setItem: function (key, value) {
      if (key === namespace + 'headers') return;
      var parsed;
      try { parsed = JSON.parse(value); } catch (e) { return localStorage.setItem(key, value); }
      localStorage.setItem(key, JSON.stringify(parsed, function (k, v) { return k === 'headers' ? null : v; }));
    },
    removeItem: function (key) { localStorage.removeItem(key); },
    clear: function () {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(namespace) === 0) localStorage.removeItem(key);
      });
    },
    get length() {
      return Object.keys(localStorage).filter(function (key) { return key.indexOf(namespace) === 0; }).length;
    },
  };

  // The session of this tab. Nothing is pre-filled in the headers editor (an empty "Bearer " made every
  // request fail): a token arrives in one step instead, from a login/verify/refresh result run here or
  // from the admin app's "Open GraphiQL signed in" (window.opener, same origin only), and is added to
  // every request whose headers do not set Authorization themselves. It lives in this tab's memory only.
  var session = { token: null, generation: 0, schemaRefused: false };
  var bar = document.getElementById('session-state');
  var forget = document.getElementById('session-forget');

  function say(text) { bar.textContent = text; }

  function hasAuthorization(headers) {
    return Object.keys(headers || {}).some(function (k) { return k.toLowerCase() === 'authorization'; });
  }

  function withToken(opts) {
    var headers = Object.assign({}, opts && opts.headers);
    if (session.token && !hasAuthorization(headers)) headers.Authorization = 'Bearer ' + session.token;
    return Object.assign({}, opts, { headers: headers });
  }

  // Any AuthPayload in a result (login, verifyCode, refreshSession...) carries the new access token.
  function tokenIn(result) {
    var data = result && result.data;
    if (!data || typeof data !== 'object') return null;
    for (var k in data) {
      var v = data[k];
      if (v && typeof v === 'object' && typeof v.accessToken === 'string' && v.accessToken) return v.accessToken;
    }
    return null;
  }

  function unauthenticated(result) {
    return !!(result && result.errors && result.errors.some(function (e) {
      return e && e.extensions && e.extensions.code === 'UNAUTHENTICATED';
    }));
  }

  function use(token, from) {
    session.token = token;
    forget.hidden = !token;
    if (!token) {
      say('Not signed in. Run the login mutation here, or open GraphiQL from Admin → Tools, and its token is used for every request.');
    } else {
      say('Signed in (' + from + '). Checking who…');
      whoAmI(from);
    }
    // Introspection is for admins in production: when the schema could not be read, remount so
    // GraphiQL fetches it again with the token (the editors' content is kept in storage). Otherwise the
    // answer on screen (the login result) stays.
    if (session.schemaRefused || session.generation === 0) {
      session.schemaRefused = false;
      session.generation++;
      render();
    }
  }

  function whoAmI(from) {
    var token = session.token;
    fetch(fetcherOptions.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: '{ me { email role } }' }),
    }).then(function (r) { return r.json(); }).then(function (r) {
      if (session.token !== token) return;
      var me = r && r.data && r.data.me;
      say(me ? 'Signed in as ' + me.email + ' (' + me.role + ', ' + from + '). Requests carry this token unless the headers set Authorization.'
        : 'The token was not accepted: run login again.');
    }).catch(function () {
      if (session.token === token) say('Signed in (' + from + '); the server did not answer who you are.');
    });
  }

  var base = GraphiQL.createFetcher(fetcherOptions);
  function fetcher(params, opts) {
    var result = base(params, withToken(opts));
    if (!result || typeof result.then !== 'function') return result;
    return result.then(function (r) {
      if (params.operationName === 'IntrospectionQuery') session.schemaRefused = !(r && r.data);
      var token = tokenIn(r);
      if (token) {
        setTimeout(function () { use(token, 'token from ' + (params.operationName || 'this tab\'s sign-in')); }, 0);
      } else if (session.token && unauthenticated(r)) {
        say('The token has expired or was revoked: run login again, or reopen GraphiQL from Admin → Tools.');
        askOpener();
      }
      return r;
    });
  }

  forget.addEventListener('click', function () { use(null); });

  // The admin app opened this tab: ask it for the signed-in admin's token. Only a same-origin opener
  // is asked and only its answer is taken.
  function askOpener() {
    try {
      if (window.opener && window.opener.location.origin === window.location.origin) {
        window.opener.postMessage({ type: 'carequeue:graphiql-token-request' }, window.location.origin);
      }
    } catch (e) { /* a cross-origin opener throws on .location: ignore it */ }
  }
  window.addEventListener('message', function (e) {
    if (e.origin !== window.location.origin || e.source !== window.opener) return;
    var m = e.data;
    if (m && m.type === 'carequeue:graphiql-token' && typeof m.token === 'string' && m.token) {
      use(m.token, 'from the admin app');
    }
  });

  function render() {
    reactRoot.render(
      React.createElement(GraphiQL, {
        key: session.generation,
        fetcher: fetcher,
        defaultEditorToolsVisibility: 'headers',
        storage: storage,
        shouldPersistHeaders: false,
        showPersistHeadersSettings: false,
      }),
    );
  }

  root.textContent = '';
  var reactRoot = ReactDOM.createRoot(root);
  use(null);
  askOpener();
})();
