// Boots GraphiQL on the CareQueue page. It lives in a file, not inline in the page, because the page's
// Content-Security-Policy allows scripts from 'self' only. The server writes the endpoints and the
// headers hint into data- attributes of #graphiql.
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

  var fetcherOptions = { url: absolute(data.endpoint, false) };
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

  root.textContent = '';
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher(fetcherOptions),
      defaultHeaders: data.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      storage: storage,
      shouldPersistHeaders: false,
      showPersistHeadersSettings: false,
    }),
  );
})();
