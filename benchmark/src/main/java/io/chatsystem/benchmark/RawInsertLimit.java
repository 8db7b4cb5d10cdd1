package io.chatsystem.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Recorder;

/**
 * The machine's raw limit for the write path's core work: durable single-row INSERTs (autocommit)
 * into a table shaped like Axon's event table, on the same database server.
 */
final class RawInsertLimit {

    private static final String TABLE = "benchmark_event_entry";

    private final String url;
    private final String user;
    private final String password;

    RawInsertLimit(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The best of {@code attempts} runs of {@code inserts} INSERTs over {@code connections} connections. */
    void measure(int connections, int inserts, int attempts, Figures figures) throws Exception {
        Figures.Row best = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Figures.Row row = measure(connections, inserts);
            if (best == null || row.perSecond() > best.perSecond()) {
                best = row;
            }
        }
        figures.add(best.scenario() + ", best of " + attempts, best.operations(),
                (long) (best.operations() * 1e9 / best.perSecond()), best.latency());
    }

    private Figures.Row measure(int connections, int inserts) throws Exception {
        try (Connection c = connect()) {
            c.createStatement().execute("DROP TABLE IF EXISTS " + TABLE);
            c.createStatement().execute("CREATE TABLE " + TABLE + " LIKE domain_event_entry");
        }
        byte[] payload = ("{\"applicationToken\":\"" + UUID.randomUUID() + "\",\"chatNumber\":1,\"messageNumber\":1,"
                + "\"body\":\"The quick brown fox jumps over the lazy dog\",\"sentAt\":\"2026-01-01T00:00:00Z\"}")
                .getBytes();
        Recorder recorder = new Recorder(3);
        AtomicInteger next = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(connections);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            int worker = w;
            running.add(executor.submit(() -> {
                try (Connection c = connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                        + " (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type,"
                        + " payload, meta_data) VALUES (?, ?, ?, 'Chat', '2026-01-01T00:00:00Z',"
                        + " 'io.chatsystem.api.message.MessageSent', ?, '{}')")) {
                    for (int i = next.getAndIncrement(); i < inserts; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        insert.setString(1, UUID.randomUUID().toString());
                        insert.setString(2, "chat-" + worker);
                        insert.setLong(3, i);
                        insert.setBytes(4, payload);
                        insert.executeUpdate();
                        recorder.recordValue((System.nanoTime() - t0) / 1000);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        long elapsed = System.nanoTime() - started;
        executor.shutdown();
        try (Connection c = connect()) {
            c.createStatement().execute("DROP TABLE " + TABLE);
        }
        return new Figures.Row("raw JDBC single-row INSERT, " + connections + " connections", inserts,
                inserts * 1e9 / elapsed, recorder.getIntervalHistogram(), Map.of());
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
