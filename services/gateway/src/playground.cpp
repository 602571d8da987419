#include "playground.hpp"

#include <string_view>

extern "C" {
extern const char playground0_begin[], playground0_end[];  // react.production.min.js
extern const char playground1_begin[], playground1_end[];  // react-dom.production.min.js
extern const char playground2_begin[], playground2_end[];  // graphiql.min.js
extern const char playground3_begin[], playground3_end[];  // graphiql.min.css
}

namespace orderstream::gateway {
namespace {

constexpr const char* kPage = R"html(<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>OrderStream GraphQL playground</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/playground/graphiql.min.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground...</div>
  <script src="/playground/react.production.min.js"></script>
  <script src="/playground/react-dom.production.min.js"></script>
  <script src="/playground/graphiql.min.js"></script>
  <script>
    // Same-origin requests carry the token cookie that register and login set. Subscriptions go over a
    // WebSocket to the same path (graphql-transport-ws); the cookie, or an Authorization header typed
    // into the Headers tab, authenticates it.
    const fetcher = GraphiQL.createFetcher({
      url: '/graphql',
      subscriptionUrl: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql',
      fetch: (url, init) => fetch(url, { ...init, credentials: 'same-origin' }),
    });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: true }));
  </script>
</body>
</html>
)html";

struct Asset {
    std::string_view path;
    const char* begin;
    const char* end;
    const char* content_type;
};

const Asset kAssets[] = {
    {"/playground/react.production.min.js", playground0_begin, playground0_end, "application/javascript"},
    {"/playground/react-dom.production.min.js", playground1_begin, playground1_end, "application/javascript"},
    {"/playground/graphiql.min.js", playground2_begin, playground2_end, "application/javascript"},
    {"/playground/graphiql.min.css", playground3_begin, playground3_end, "text/css"},
};

}  // namespace

bool ServePlayground(const http::Request& request, const http::Respond& respond) {
    auto path = request.Path();
    if (path == "/playground" || path == "/playground/") {
        http::Response page;
        page.content_type = "text/html; charset=utf-8";
        page.body = kPage;
        respond(std::move(page));
        return true;
    }
    for (const auto& asset : kAssets) {
        if (path != asset.path) continue;
        http::Response response;
        response.content_type = asset.content_type;
        response.body.assign(asset.begin, static_cast<std::size_t>(asset.end - asset.begin));
        response.headers.emplace_back("Cache-Control", "public, max-age=86400");
        respond(std::move(response));
        return true;
    }
    return false;
}

}  // namespace orderstream::gateway
