package io.chatsystem.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many Server-Sent Event streams read by one thread over non-blocking sockets. The load generator
 * shares the machine with the system it measures, so reading a thousand streams must cost far less
 * than writing them: the JDK's HttpClient spent more CPU reading them than the query side spent
 * writing. Each stream is opened with a blocking request (HTTP/1.1, as a browser's EventSource does),
 * then handed to the reading thread, which undoes the chunked transfer coding and reports each
 * {@code id:} line and the first comment line (the stream's subscription is in place).
 */
final class StreamReaders implements AutoCloseable {

    /** What the reading thread reports, on its own thread. */
    interface Events {
        /** The stream has sent its first comment: its subscription is in place. */
        void opened();

        /** Message {@code number} arrived at {@code nanoTime}. */
        void arrived(int number, long nanoTime);
    }

    /** A stream's answer was not 200 (503 when the query side holds as many streams as it may). */
    static final class Refused extends IOException {
        final int status;
        final Duration retryAfter;

        Refused(int status, Duration retryAfter) {
            super("stream answered " + status);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);
    private static final int READ_BUFFER = 64 * 1024;
    private static final int HEAD_BUFFER = 16 * 1024;

    private final Events events;
    private final Selector selector;
    private final Queue<Reader> arriving = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean open = true;

    StreamReaders(Events events) throws IOException {
        this.events = events;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().daemon().name("stream-readers").start(this::readWhileOpen);
    }

    /**
     * Requests the stream at {@code uri} and, once it answered 200, reads it on the reading thread.
     * Blocks until the answer's head is in (30 s at most).
     *
     * @throws Refused when it answered anything but 200
     */
    void open(URI uri) throws IOException {
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), port));
        try {
            channel.socket().setSoTimeout((int) HEADER_TIMEOUT.toMillis());
            String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";
            channel.socket().getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            Reader reader = readHead(channel);
            channel.configureBlocking(false);
            arriving.add(reader);
            selector.wakeup();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads the answer's status line and headers; body bytes read with them go to the stream's parser
     * before it is handed over.
     */
    private Reader readHead(SocketChannel channel) throws IOException {
        InputStream in = channel.socket().getInputStream();
        byte[] buffer = new byte[HEAD_BUFFER];
        int length = 0;
        int end;
        while ((end = headEnd(buffer, length)) < 0) {
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0 || length + read == buffer.length) {
                throw new IOException("no answer head: " + new String(buffer, 0, length, StandardCharsets.US_ASCII));
            }
            length += read;
        }
        String[] lines = new String(buffer, 0, end, StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        boolean chunked = false;
        Duration retryAfter = DEFAULT_RETRY;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("retry-after:")) {
                retryAfter = Duration.ofSeconds(Long.parseLong(line.substring("retry-after:".length()).strip()));
            }
        }
        if (status != 200) {
            throw new Refused(status, retryAfter);
        }
        Reader reader = new Reader(channel, chunked);
        long now = System.nanoTime();
        for (int i = end + 4; i < length; i++) {
            reader.take(buffer[i], now);
        }
        return reader;
    }

    /** Where the blank line after the headers starts, or -1. */
    private static int headEnd(byte[] bytes, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void readWhileOpen() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
        try {
            while (open) {
                selector.select();
                for (Reader reader; (reader = arriving.poll()) != null; ) {
                    reader.channel.register(selector, SelectionKey.OP_READ, reader);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Reader reader = (Reader) key.attachment();
                    buffer.clear();
                    int read;
                    try {
                        read = reader.channel.read(buffer);
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read < 0) {
                        key.cancel();
                        reader.channel.close();
                        continue;
                    }
                    buffer.flip();
                    long now = System.nanoTime();
                    while (buffer.hasRemaining()) {
                        reader.take(buffer.get(), now);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (open) {
                System.out.println("stream readers stopped: " + e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        selector.wakeup();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        for (Reader reader; (reader = arriving.poll()) != null; ) {
            reader.channel.close();
        }
        selector.close();
    }

    /** One stream's parser: the chunked coding (when used) around the event lines. */
    private final class Reader {
        private enum Chunk { SIZE, DATA, DATA_END }

        /** Enough of a line to tell an {@code id:} or comment line and read its number. */
        private static final int LINE_PREFIX = 24;

        private final SocketChannel channel;
        private final boolean chunked;
        private Chunk chunk = Chunk.SIZE;
        private long chunkLeft;
        private final byte[] line = new byte[LINE_PREFIX];
        private int lineLength;
        private boolean opened;

        Reader(SocketChannel channel, boolean chunked) {
            this.channel = channel;
            this.chunked = chunked;
        }

        void take(byte b, long now) {
            if (!chunked) {
                body(b, now);
                return;
            }
            switch (chunk) {
                case SIZE -> {
                    if (b == '\n') {
                        chunk = chunkLeft == 0 ? Chunk.SIZE : Chunk.DATA;
                    } else if (Character.digit(b, 16) >= 0) {
                        chunkLeft = chunkLeft * 16 + Character.digit(b, 16);
                    }
                }
                case DATA -> {
                    body(b, now);
                    if (--chunkLeft == 0) {
                        chunk = Chunk.DATA_END;
                    }
                }
                case DATA_END -> {
                    if (b == '\n') {
                        chunk = Chunk.SIZE;
                    }
                }
            }
        }

        private void body(byte b, long now) {
            if (b != '\n') {
                if (lineLength < LINE_PREFIX) {
                    line[lineLength] = b;
                }
                lineLength++;
                return;
            }
            int length = Math.min(lineLength, LINE_PREFIX);
            lineLength = 0;
            if (length > 0 && line[0] == ':' && !opened) {
                opened = true;
                events.opened();
            } else if (length > 3 && line[0] == 'i' && line[1] == 'd' && line[2] == ':') {
                events.arrived(number(length), now);
            }
        }

        private int number(int length) {
            int value = 0;
            for (int i = 3; i < length; i++) {
                if (line[i] >= '0' && line[i] <= '9') {
                    value = value * 10 + (line[i] - '0');
                }
            }
            return value;
        }
    }
}
