package io.chatsystem.stack;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * The one port of the local run, doing what nginx does in docker compose: API writes go to a command
 * side, API reads to a query side (each side's instances taken in turn); the whole API's OpenAPI
 * description is {@code /v3/api-docs} and its console (Swagger UI) is at {@code /}, both from a query side;
 * each side's own description is under {@code /v3/api-docs/command} and {@code /v3/api-docs/query};
 * nothing else (admin, actuator) is exposed. An instance that refused a connection is passed over for a while, as nginx does
 * ({@code max_fails=1 fail_timeout=10s}); the request that found it down gets 502.
 */
public final class Gateway implements AutoCloseable {

    private static final String API = "/api/";
    private static final String API_DOCS = "/v3/api-docs";
    /** The whole API's description, which a query side puts together from both sides' own. */
    private static final String PUBLIC_API_DOCS = API_DOCS + "/public";
    private static final String CONSOLE = "/swagger-ui/";
    private static final String NOT_ROUTED = """
            {"type":"about:blank","title":"Not Found","status":404,"detail":"The gateway serves /api/v1, its description at /v3/api-docs and its console at /"}""";

    /** Upstream connections per instance: room for the query side's open streams and the other requests. */
    private static final int MAX_UPSTREAM_CONNECTIONS = 12_000;
    /** How long an instance that refused a connection is passed over. */
    private static final Duration FAIL_TIMEOUT = Duration.ofSeconds(10);

    private final Server server;

    private Gateway(Server server) {
        this.server = server;
    }

    /** Listens on {@code host:port} (port 0 picks a free one) and forwards to the two sides. */
    public static Gateway start(String host, int port, URI commandSide, URI querySide) {
        return start(host, port, List.of(commandSide), List.of(querySide));
    }

    /** As {@link #start(String, int, URI, URI)}, with several instances of each side. */
    public static Gateway start(String host, int port, List<URI> commandSides, List<URI> querySides) {
        Upstreams commands = new Upstreams(commandSides);
        Upstreams queries = new Upstreams(querySides);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ProxyHandler proxy = new ProxyHandler.Reverse(request -> {
            Route route = route(request);
            return rebase(route.toCommandSide() ? commands.forAggregate(route.aggregate()) : queries.next(),
                    route.path(), route.query());
        }) {
            @Override
            protected void configureHttpClient(HttpClient client) {
                super.configureHttpClient(client);
                // each open live stream holds an upstream connection for as long as its client stays:
                // Jetty's default of 64 per instance would queue every other request behind 64 streams
                client.setMaxConnectionsPerDestination(MAX_UPSTREAM_CONNECTIONS);
            }

            @Override
            protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
                                                          org.eclipse.jetty.client.Request proxyToServerRequest,
                                                          org.eclipse.jetty.client.Response serverToProxyResponse,
                                                          Response proxyToClientResponse, Callback proxyToClientCallback,
                                                          Throwable failure) {
                if (refused(failure)) {
                    commands.failed(proxyToServerRequest.getHost(), proxyToServerRequest.getPort());
                    queries.failed(proxyToServerRequest.getHost(), proxyToServerRequest.getPort());
                }
                super.onServerToProxyResponseFailure(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                        proxyToClientResponse, proxyToClientCallback, failure);
            }
        };
        server.setHandler(new Handler.Wrapper(proxy) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (request.getHttpURI().getPath().equals("/")) {
                    Response.sendRedirect(request, response, callback, CONSOLE + "index.html");
                    return true;
                }
                if (route(request) == null) {
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

    /**
     * Where a request goes: which side, the path and query there, and for a write the aggregate it
     * changes (null for a new application).
     */
    record Route(boolean toCommandSide, String path, String query, String aggregate) {
    }

    /** A write's aggregate: the chat ({@code token/number}) for its messages, else the application ({@code token}). */
    private static final Pattern AGGREGATE = Pattern.compile("^/api/v1/applications/([^/]+)(?:/chats/(\\d+))?");

    /** The route of a request, or null when the gateway does not serve it. */
    static Route route(Request request) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        if (path.startsWith(API)) {
            boolean read = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
            return new Route(!read, path, query, read ? null : aggregate(path));
        }
        if (path.startsWith(CONSOLE)) {
            return new Route(false, path, query, null);
        }
        return switch (path) {
            case API_DOCS, PUBLIC_API_DOCS -> new Route(false, PUBLIC_API_DOCS, query, null);
            case API_DOCS + "/swagger-config" -> new Route(false, path, query, null);
            case API_DOCS + "/command" -> new Route(true, API_DOCS, query, null);
            case API_DOCS + "/query" -> new Route(false, API_DOCS, query, null);
            default -> null;
        };
    }

    static String aggregate(String path) {
        Matcher matcher = AGGREGATE.matcher(path);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(2) == null ? matcher.group(1) : matcher.group(1) + "/" + matcher.group(2);
    }

    private static HttpURI rebase(URI side, String path, String query) {
        return HttpURI.build().scheme(side.getScheme()).host(side.getHost()).port(side.getPort()).path(path).query(query);
    }

    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The instances of one side, taken in turn, passing over one that refused a connection lately.
     * Writes to one aggregate go to one command side while it is up, as Axon Server routes them: two
     * command sides appending to one chat on the event table collide, and each collision is retried
     * and leaves a gap in the table's index that every tracking token then carries.
     */
    private static final class Upstreams {

        private final List<URI> instances;
        private final AtomicLongArray passedOverUntil;
        private final AtomicInteger turn = new AtomicInteger();

        Upstreams(List<URI> instances) {
            if (instances.isEmpty()) {
                throw new IllegalArgumentException("no instance to forward to");
            }
            this.instances = List.copyOf(instances);
            this.passedOverUntil = new AtomicLongArray(instances.size());
        }

        URI next() {
            return firstUpFrom(turn.getAndIncrement());
        }

        /** The instance for writes to {@code aggregate}: always the same one while it is up; any, for none. */
        URI forAggregate(String aggregate) {
            return aggregate == null ? next() : firstUpFrom(aggregate.hashCode());
        }

        private URI firstUpFrom(int start) {
            long now = System.nanoTime();
            int first = Math.floorMod(start, instances.size());
            for (int i = 0; i < instances.size(); i++) {
                int candidate = (first + i) % instances.size();
                if (passedOverUntil.get(candidate) - now <= 0) {
                    return instances.get(candidate);
                }
            }
            // all down: try them anyway, in turn
            return instances.get(first);
        }

        void failed(String host, int port) {
            long until = System.nanoTime() + FAIL_TIMEOUT.toNanos();
            for (int i = 0; i < instances.size(); i++) {
                if (instances.get(i).getPort() == port && instances.get(i).getHost().equals(host)) {
                    passedOverUntil.set(i, until);
                }
            }
        }
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
