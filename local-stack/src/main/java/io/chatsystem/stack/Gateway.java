package io.chatsystem.stack;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The one port of the local run, doing what nginx does in docker compose: API writes go to a command
 * side, API reads to a query side (each side's instances taken in turn); the whole API's OpenAPI
 * description is {@code /v3/api-docs} and its console (Swagger UI) is at {@code /}, both from a query side;
 * each side's own description is under {@code /v3/api-docs/command} and {@code /v3/api-docs/query};
 * nothing else (admin, actuator) is exposed. An instance that refused a connection is passed over for a while, as nginx does
 * ({@code max_fails=1 fail_timeout=10s}); the request that found it down gets 502.
 *
 * <p>As {@code docker/nginx.conf}, it holds requests to its {@link Limits} (body size, header size, how long a
 * client may take to send them), answers everything it says itself as problem+json without naming its
 * software, and lets go of a live stream's upstream as soon as the stream's client goes away.
 */
public final class Gateway implements AutoCloseable {

    private static final String API = "/api/";
    private static final String API_DOCS = "/v3/api-docs";
    /** The whole API's description, which a query side puts together from both sides' own. */
    private static final String PUBLIC_API_DOCS = API_DOCS + "/public";
    private static final String CONSOLE = "/swagger-ui/";
    /** A chat's live stream (Server-Sent Events), open for as long as its client stays. */
    private static final Pattern STREAM = Pattern.compile("^/api/v1/applications/[^/]+/chats/\\d+/messages/stream$");
    /**
     * Refused (405) as nginx refuses them: TRACE would send a client's cookies and credentials back to whatever
     * script made the request (cross-site tracing), CONNECT asks for a tunnel.
     */
    private static final Set<String> REFUSED_METHODS = Set.of(HttpMethod.TRACE.asString(), HttpMethod.CONNECT.asString());
    /** Forwarding headers a client may send, which the apps would believe coming through the gateway. */
    private static final List<String> CLIENT_FORWARDING_HEADERS = List.of(HttpHeader.FORWARDED.asString(),
            HttpHeader.X_FORWARDED_HOST.asString(), HttpHeader.X_FORWARDED_PORT.asString(), "X-Forwarded-Prefix");
    private static final String NOT_ROUTED = "The gateway serves /api/v1, its description at /v3/api-docs and its console at /";

    /** Request line and headers, as nginx's {@code large_client_header_buffers 1 16k}; over it is 431 (414 for the line). */
    static final int MAX_HEADER_SIZE = 16 * 1024;
    /**
     * The largest request header the upstream client sends: the apps accept 24 KB
     * ({@code server.max-http-request-header-size}), room for a client's 16 KB and the X-Forwarded-* headers added
     * here. Jetty's default of 4 KB would turn every larger header into a 502.
     */
    private static final int MAX_UPSTREAM_HEADER_SIZE = 24 * 1024;
    /**
     * The slowest a request body may arrive, once it has had the idle timeout to start: a client trickling its
     * body a byte at a time never leaves the connection idle. Jetty's core handlers (ProxyHandler among them) do
     * not enforce {@link HttpConfiguration#setMinRequestDataRate}, only its servlet layer: {@link LimitedBody} does.
     */
    private static final long MIN_BODY_RATE = 1024; // bytes per second
    /**
     * How long an upstream may stay silent before the request is given up (504, as nginx's default
     * {@code proxy_read_timeout 60s}); over {@code chat.streams.heartbeat} (3 s), so live streams are kept.
     */
    private static final Duration UPSTREAM_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Upstream connections per instance: room for the query side's open streams and the other requests. */
    private static final int MAX_UPSTREAM_CONNECTIONS = 12_000;
    /** How long an instance that refused a connection is passed over. */
    private static final Duration FAIL_TIMEOUT = Duration.ofSeconds(10);

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM = """
            {"type":"about:blank","title":"%s","status":%d,"detail":"%s"}""";
    /** When to try again after a 502, 503 or 504: an instance that is down is passed over at once. */
    private static final String RETRY_AFTER_SECONDS = "1";
    /** Answers to a request whose body was not read to its end: the connection cannot carry another request. */
    private static final Set<Integer> CLOSING = Set.of(HttpStatus.REQUEST_TIMEOUT_408, HttpStatus.PAYLOAD_TOO_LARGE_413);

    /**
     * What the gateway accepts of a client.
     *
     * @param maxBodySize   the largest request body, in bytes; one declared larger is refused (413) before it is sent,
     *                      a chunked one as it grows past it
     * @param idleTimeout   how long a client may leave its connection idle (sending nothing while a request header
     *                      or body is due, or not taking in the answer); while an upstream is awaited, it is the
     *                      upstream's silence that counts
     * @param headerTimeout how long a client may take over one request header, from its first byte
     */
    public record Limits(long maxBodySize, Duration idleTimeout, Duration headerTimeout) {

        public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_BODY_SIZE, DEFAULT_IDLE_TIMEOUT, DEFAULT_HEADER_TIMEOUT);
        }

        /**
         * The defaults, overridden by the system properties {@code gateway.maxBodySize} (bytes),
         * {@code gateway.idleTimeout} and {@code gateway.headerTimeout} (durations: {@code 10s}, {@code 500ms}, {@code PT1M}).
         */
        public static Limits fromSystemProperties() {
            return new Limits(Long.getLong("gateway.maxBodySize", DEFAULT_MAX_BODY_SIZE),
                    duration("gateway.idleTimeout", DEFAULT_IDLE_TIMEOUT), duration("gateway.headerTimeout", DEFAULT_HEADER_TIMEOUT));
        }

        public Limits withMaxBodySize(long maxBodySize) {
            return new Limits(maxBodySize, idleTimeout, headerTimeout);
        }

        public Limits withIdleTimeout(Duration idleTimeout) {
            return new Limits(maxBodySize, idleTimeout, headerTimeout);
        }

        public Limits withHeaderTimeout(Duration headerTimeout) {
            return new Limits(maxBodySize, idleTimeout, headerTimeout);
        }

        private static Duration duration(String property, Duration fallback) {
            String value = System.getProperty(property);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            value = value.strip();
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - "ms".length())));
            }
            return Duration.parse(value.startsWith("P") || value.startsWith("p") ? value : "PT" + value);
        }
    }

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
        return start(host, port, commandSides, querySides, Limits.fromSystemProperties());
    }

    /** As {@link #start(String, int, List, List)}, with these limits instead of {@link Limits#fromSystemProperties()}. */
    public static Gateway start(String host, int port, List<URI> commandSides, List<URI> querySides, Limits limits) {
        Upstreams commands = new Upstreams(commandSides);
        Upstreams queries = new Upstreams(querySides);
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_SIZE);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setMinRequestDataRate(MIN_BODY_RATE);
        ServerConnector connector = new ServerConnector(server, new HeaderDeadlineConnectionFactory(http, limits.headerTimeout()));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new ProblemErrorHandler(limits));
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
                client.setRequestBufferSize(MAX_UPSTREAM_HEADER_SIZE);
                client.setIdleTimeout(UPSTREAM_IDLE_TIMEOUT.toMillis());
                // the client's User-Agent goes on as it came, without Jetty's name and version added
                client.setUserAgentField(null);
            }

            @Override
            protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
                forwardedFor(clientToProxyRequest, proxyToServerRequest);
            }

            @Override
            protected HttpField filterServerToProxyResponseField(HttpField serverToProxyResponseField) {
                // as nginx (proxy_hide_header's default): the upstream's software is not named either
                return serverToProxyResponseField.getHeader() == HttpHeader.SERVER ? null : serverToProxyResponseField;
            }

            @Override
            protected void sendProxyToServerRequest(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                                    Response proxyToClientResponse, Callback proxyToClientCallback) {
                if (isStream(clientToProxyRequest)) {
                    ClientWatch.abortWhenClientLeaves(clientToProxyRequest, proxyToServerRequest);
                }
                super.sendProxyToServerRequest(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
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
                RefusedBody refusedBody = causeOf(failure, RefusedBody.class);
                if (refusedBody != null && !proxyToClientResponse.isCommitted()) {
                    // the client's body was over the limit or too slow: its answer, not a 502
                    Response.writeError(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback, refusedBody.getCode());
                    return;
                }
                super.onServerToProxyResponseFailure(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                        proxyToClientResponse, proxyToClientCallback, failure);
            }
        };
        server.setHandler(new Handler.Wrapper(proxy) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (REFUSED_METHODS.contains(request.getMethod())) {
                    problem(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, detail(HttpStatus.METHOD_NOT_ALLOWED_405, limits));
                    return true;
                }
                if (request.getHttpURI().getPath().equals("/")) {
                    ownAnswer(response.getHeaders());
                    Response.sendRedirect(request, response, callback, CONSOLE + "index.html");
                    return true;
                }
                if (route(request) == null) {
                    problem(response, callback, HttpStatus.NOT_FOUND_404, NOT_ROUTED);
                    return true;
                }
                if (request.getLength() > limits.maxBodySize()) {
                    // refused on its Content-Length, before any of the body is read
                    problem(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, detail(HttpStatus.PAYLOAD_TOO_LARGE_413, limits));
                    return true;
                }
                if (isStream(request)) {
                    // ClientWatch reads the connection while the stream is open: it takes no other request after
                    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                }
                return super.handle(new LimitedBody(request, limits), response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start on port " + port, e);
        }
        return new Gateway(server);
    }

    private static boolean isStream(Request request) {
        return HttpMethod.GET.is(request.getMethod()) && STREAM.matcher(request.getHttpURI().getPath()).matches();
    }

    /**
     * The client's address and scheme, as X-Forwarded-For and X-Forwarded-Proto, as nginx sends them: the apps take
     * them from there ({@code server.forward-headers-strategy: native}), and trust them from any private address.
     * The gateway is the edge, so what a client says of itself in these headers is dropped, else it could pick the
     * address the apps see (and limit by) or the host they link to. Jetty's own Via and Forwarded would go unread,
     * and Forwarded repeats the Host header, which could take a client's 16 KB of headers past the apps' 24 KB.
     */
    private static void forwardedFor(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String client = Request.getRemoteAddr(clientToProxyRequest);
        String scheme = clientToProxyRequest.isSecure() ? "https" : "http";
        proxyToServerRequest.headers(headers -> {
            CLIENT_FORWARDING_HEADERS.forEach(headers::remove);
            headers.put(HttpHeader.X_FORWARDED_FOR, client).put(HttpHeader.X_FORWARDED_PROTO, scheme);
        });
    }

    /** The headers on every answer the gateway gives itself: not to be stored, nor read as anything but its type. */
    private static void ownAnswer(HttpFields.Mutable headers) {
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
    }

    /** An answer of the gateway's own, as an RFC 9457 problem; title and detail are its own text, with nothing to escape. */
    private static void problem(Response response, Callback callback, int status, String detail) {
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        ownAnswer(headers);
        if (status == HttpStatus.BAD_GATEWAY_502 || status == HttpStatus.SERVICE_UNAVAILABLE_503
                || status == HttpStatus.GATEWAY_TIMEOUT_504) {
            headers.put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (CLOSING.contains(status)) {
            headers.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        String title = status == HttpStatus.INTERNAL_SERVER_ERROR_500 ? "Internal Server Error" : HttpStatus.getMessage(status);
        response.write(true, StandardCharsets.UTF_8.encode(PROBLEM.formatted(title, status, detail)), callback);
    }

    /** The detail of an error answer, the same from nginx (docker/nginx.conf) for the same status. */
    private static String detail(int status, Limits limits) {
        return switch (status) {
            case HttpStatus.BAD_REQUEST_400 -> "The request is not valid HTTP";
            case HttpStatus.REQUEST_TIMEOUT_408 -> "The request did not arrive in time";
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "The request body is over the gateway limit of " + limits.maxBodySize() + " bytes";
            case HttpStatus.URI_TOO_LONG_414 -> "The request line is over the gateway limit of " + MAX_HEADER_SIZE + " bytes";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "The request header is over the gateway limit of " + MAX_HEADER_SIZE + " bytes";
            case HttpStatus.BAD_GATEWAY_502, HttpStatus.SERVICE_UNAVAILABLE_503 -> "No instance behind the gateway could take the request; try again";
            case HttpStatus.GATEWAY_TIMEOUT_504 -> "The instance behind the gateway did not answer in time; try again";
            default -> "The gateway could not serve the request";
        };
    }

    /**
     * Every error answer Jetty gives (a request it cannot parse: 400, 414, 431; a failed upstream: 502, 504;
     * a body over the limit or too slow: 413, 408; its own failures: 500) as problem+json rather than its HTML page.
     * The detail is the gateway's own: Jetty's messages name parser states and exception classes.
     */
    private static final class ProblemErrorHandler implements Request.Handler {

        private final Limits limits;

        ProblemErrorHandler(Limits limits) {
            this.limits = limits;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException failure) {
                status = failure.getCode();
            }
            if (status < HttpStatus.INTERNAL_SERVER_ERROR_500) {
                // a request Jetty could not take: it closes the connection after the answer, so a client must
                // not send its next request on it (one that did lost that request without an answer)
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            if (HttpStatus.hasNoBody(status)) {
                response.setStatus(status);
                callback.succeeded();
                return true;
            }
            problem(response, callback, status, detail(status, limits));
            return true;
        }
    }

    /**
     * The request body as the upstream client reads it, held to {@link Limits#maxBodySize()} and, after the
     * idle timeout, to the connection's {@link HttpConfiguration#getMinRequestDataRate() minimum data rate}.
     * A body over either ends in a failure carrying its answer (413, 408), which the proxy gives the client.
     */
    private static final class LimitedBody extends Request.Wrapper {

        private final long maxSize;
        private final long minRate;
        private final long graceNanos;
        private long read;
        private long firstByteAt;
        private Content.Chunk failure;

        LimitedBody(Request request, Limits limits) {
            super(request);
            this.maxSize = limits.maxBodySize();
            this.minRate = request.getConnectionMetaData().getHttpConfiguration().getMinRequestDataRate();
            this.graceNanos = limits.idleTimeout().toNanos();
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) {
                return failure;
            }
            Content.Chunk chunk = super.read();
            if (chunk == null) {
                return null;
            }
            if (Content.Chunk.isFailure(chunk, false)) {
                // Jetty's word that the client left the connection idle while its body was due
                return fail(HttpStatus.REQUEST_TIMEOUT_408, chunk.getFailure());
            }
            if (!chunk.hasRemaining()) {
                return chunk;
            }
            long now = System.nanoTime();
            if (read == 0) {
                firstByteAt = now;
            }
            read += chunk.remaining();
            if (read > maxSize) {
                chunk.release();
                return fail(HttpStatus.PAYLOAD_TOO_LARGE_413, null);
            }
            long late = now - firstByteAt - graceNanos;
            if (minRate > 0 && late > 0 && read < minRate * late / TimeUnit.SECONDS.toNanos(1)) {
                chunk.release();
                return fail(HttpStatus.REQUEST_TIMEOUT_408, null);
            }
            return chunk;
        }

        private Content.Chunk fail(int status, Throwable cause) {
            failure = Content.Chunk.from(new RefusedBody(status, cause), true);
            return failure;
        }
    }

    /** Why {@link LimitedBody} ended a body, with the status to answer. */
    private static final class RefusedBody extends HttpException.RuntimeException {

        RefusedBody(int status, Throwable cause) {
            super(status, cause);
        }
    }

    /**
     * Aborts a live stream's upstream exchange as soon as its client closes the connection. Jetty reads a
     * connection only while a request body is due (and {@link Request#addFailureListener} hears only of that, and
     * of every idle timeout), so without this a stream whose client went away holds its upstream connection, and
     * the query side's stream slot, until a heartbeat fails to be written to that client: the second one after it
     * went. Whatever the client sends meanwhile is dropped: the stream's answer closes the connection after it.
     */
    private record ClientWatch(EndPoint client, org.eclipse.jetty.client.Request upstream) implements Callback {

        /** Enough to see EOF; a stream's client has nothing else to send. */
        private static final int SCRAP_BUFFER = 64;

        static void abortWhenClientLeaves(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
            new ClientWatch(clientToProxyRequest.getConnectionMetaData().getConnection().getEndPoint(), proxyToServerRequest).watch();
        }

        private void watch() {
            // false when Jetty reads the connection itself, and so sees the client go
            client.tryFillInterested(this);
        }

        @Override
        public void succeeded() {
            ByteBuffer scrap = BufferUtil.allocate(SCRAP_BUFFER);
            try {
                int filled;
                do {
                    BufferUtil.clear(scrap);
                    filled = client.fill(scrap);
                } while (filled > 0);
                if (filled < 0) {
                    upstream.abort(new EofException("the client closed the connection"));
                } else {
                    watch();
                }
            } catch (IOException e) {
                upstream.abort(e);
            }
        }

        @Override
        public void failed(Throwable failure) {
            // the connection closed or failed; after the stream's end this aborts nothing
            upstream.abort(failure);
        }
    }

    /**
     * HTTP/1.1 connections that drop a client still sending one request header {@code timeout} after its first
     * byte (as nginx's {@code client_header_timeout}). The idle timeout alone never fires for a client that sends
     * a byte now and then (slowloris), and Jetty has no such deadline of its own. It is checked as bytes arrive:
     * a client that stops sending altogether is dropped by the idle timeout.
     */
    private static final class HeaderDeadlineConnectionFactory extends HttpConnectionFactory {

        private final long timeoutNanos;

        HeaderDeadlineConnectionFactory(HttpConfiguration configuration, Duration timeout) {
            super(configuration);
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {

                /** Requests received when the header being read began, to tell it from the next one. */
                private long headerOf = -1;
                private long headerBegan;

                @Override
                public void onFillable() {
                    // runs before the parser takes the new bytes, on the one thread that parses them
                    if (getParser().inHeaderState()) {
                        long now = System.nanoTime();
                        if (getMessagesIn() != headerOf) {
                            headerOf = getMessagesIn();
                            headerBegan = now;
                        } else if (now - headerBegan > timeoutNanos) {
                            close();
                            return;
                        }
                    }
                    super.onFillable();
                }
            };
            connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
            return configure(connection, connector, endPoint);
        }
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
        return causeOf(failure, ConnectException.class) != null;
    }

    private static <T> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
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
