package io.chatsystem.query.message;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-stream limit never exceeds what the heap holds. */
class MessageStreamsTest {

    private static MessageStreams.Settings settings(int maxOpen) {
        return new MessageStreams.Settings(maxOpen, 1000, Duration.ofSeconds(15), 500, Duration.ofMinutes(1),
                DataSize.ofKilobytes(256), 60);
    }

    @Test
    void theConfiguredLimitHoldsWhenTheHeapHasRoomForIt() {
        assertThat(settings(10_000).limit(DataSize.ofGigabytes(8).toBytes())).isEqualTo(10_000);
        assertThat(settings(2).limit(DataSize.ofMegabytes(512).toBytes())).isEqualTo(2);
    }

    @Test
    void aHeapTooSmallForTheConfiguredLimitLowersIt() {
        // 60 % of 512 MB at 256 KB a stream
        assertThat(settings(10_000).limit(DataSize.ofMegabytes(512).toBytes())).isEqualTo(1228);
        assertThat(settings(10_000).limit(DataSize.ofKilobytes(100).toBytes())).as("never none").isEqualTo(1);
    }
}
