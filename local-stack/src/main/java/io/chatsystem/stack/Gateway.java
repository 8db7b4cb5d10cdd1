package io.chatsystem.stack;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The one port of the local run, doing what nginx does in docker compose: API writes go to the
 * command side, API reads to the query side, each side's OpenAPI description is under
 * {@code /v3/api-docs/command} and {@code /v3/api-docs/query}; nothing else (admin, actuator) is exposed.
 */
public final class Gateway implements AutoCloseable {

    private static final String API = "/api/";
    private static final String API_DOCS = "/v3/api-docs";
    private static final String NOT_ROUTED = """
            {"type":"about:blank","title":"Not Found","status":404,"detail":"The gateway serves /api/v1 and /v3/api-docs/{command,query} only"}""";

    /** Upstream connections per side: room for the query side's open streams and the other requests. */
    private static final int MAX_UPSTREAM_CONNECTIONS = 12_000;

    private final Server server;

    private Gateway(Server server) {
        this.server = server;
    }

    /** Listens on {@code host:port} (port 0 picks a free one) and forwards to the two sides. */
    public static Gateway start(String host, int port, URI commandSide, URI querySide) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ProxyHandler proxy = new ProxyHandler.Reverse(request -> target(request, commandSide, querySide)) {
            @Override
            protected void configureHttpClient(HttpClient client) {
                super.configureHttpClient(client);
                // each open live stream holds an upstream connection for as long as its client stays:
                // Jetty's default of 64 per side would queue every other request behind 64 streams
                client.setMaxConnectionsPerDestination(MAX_UPSTREAM_CONNECTIONS);
            }
        };
        server.setHandler(new Handler.Wrapper(proxy) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (target(request, commandSide, querySide) == null) {
                    response.setStatus(HttpStatus.NOT_FOUND_404);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
                    response.write(true, StandardCharsets.UTF_8.encode(NOT_ROUTED), callback);
                    return true;
                }
                return super.handle(request, response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start on port " + port, e);
        }
        return new Gateway(server);
    }

    /** Where a request goes, or null when the gateway does not serve it. */
    static HttpURI target(Request request, URI commandSide, URI querySide) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        if (path.startsWith(API)) {
            boolean read = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
            return rebase(read ? querySide : commandSide, path, query);
        }
        return switch (path) {
            case API_DOCS + "/command" -> rebase(commandSide, API_DOCS, query);
            case API_DOCS + "/query" -> rebase(querySide, API_DOCS, query);
            default -> null;
        };
    }

    private static HttpURI rebase(URI side, String path, String query) {
        return HttpURI.build().scheme(side.getScheme()).host(side.getHost()).port(side.getPort()).path(path).query(query);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public String url() {
        String host = ((ServerConnector) server.getConnectors()[0]).getHost();
        return "http://" + (host == null || host.equals("0.0.0.0") ? InetAddress.getLoopbackAddress().getHostAddress() : host)
                + ":" + port();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not stop", e);
        }
    }
}
