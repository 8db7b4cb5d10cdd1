package io.chatsystem.query.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.chatsystem.api.message.MessageSent;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** How a batch's writes reach the index: one bulk request, or parts of a bounded size when it grows large. */
class SearchProjectionTest {

    private static final DataSize MAX_BULK = DataSize.ofKilobytes(64);

    private final List<List<SearchIndex.Write>> requests = new ArrayList<>();
    private final SearchSettings settings = new SearchSettings("http://127.0.0.1:9200", "messages", 0, 200, 20, 100,
            10_000, Duration.ofSeconds(2), Duration.ofSeconds(10), MAX_BULK);
    /** The real index's documents and sizes, its requests kept here instead of sent. */
    private final SearchIndex index = new SearchIndex(null, settings) {
        @Override
        void write(String target, List<Write> writes) {
            assertThat(target).isEqualTo("messages-v3");
            requests.add(List.copyOf(writes));
        }
    };
    private final SearchProjection projection = new SearchProjection(index, 3, settings);

    @Test
    void aBatchOfShortMessagesIsOneRequestSentAsItCommits() {
        handleInOneBatch(List.of("hello", "world", "again"), () -> assertThat(requests).isEmpty());

        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst()).hasSize(3);
    }

    @Test
    void aBatchOfLongMessagesGoesOutInPartsOfBoundedSize() {
        // words of distinct characters: no fragment repeats, so each body's fragments weigh ~30 times the body
        Random random = new Random(3);
        List<String> bodies = new ArrayList<>();
        for (int message = 0; message < 40; message++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 1_000; i++) {
                body.append((char) ('a' + random.nextInt(26)));
            }
            bodies.add(body.toString());
        }

        handleInOneBatch(bodies, () -> { });

        assertThat(requests).hasSizeGreaterThan(1);
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(bodies.size());
        for (List<SearchIndex.Write> request : requests) {
            long bytes = request.stream().mapToLong(SearchIndex.Write::bytes).sum();
            long largest = request.stream().mapToLong(SearchIndex.Write::bytes).max().orElseThrow();
            assertThat(bytes - largest).isLessThan(MAX_BULK.toBytes());
        }
    }

    private void handleInOneBatch(List<String> bodies, Runnable beforeCommit) {
        DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("batch")).execute(() -> {
            int number = 0;
            for (String body : bodies) {
                projection.on(new MessageSent("token", 1, ++number, body, Instant.now()));
            }
            beforeCommit.run();
        });
    }
}
