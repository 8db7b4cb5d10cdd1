package io.chatsystem.axon;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTimestampsTest {

    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void readsWhatAxonReadsFromTheTextsAxonAndJavaWrite() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(YEAR_10000), random.nextInt(1_000_000_000));
            for (String text : new String[]{DateTimeUtils.formatInstant(instant), instant.toString(),
                    Instant.ofEpochSecond(instant.getEpochSecond()).toString()}) {
                assertThat(EventTimestamps.parse(text)).as(text).isEqualTo(DateTimeUtils.parseInstant(text));
            }
        }
    }

    @Test
    void leavesOtherFormsToAxon() {
        for (String text : new String[]{"2026-12-06T07:12:26.5+01:00", "2026-12-06t06:12:26z", "2026-12-06T06:12:26.Z",
                "2026-12-06T06:12:26.1234567890Z", "2026-12-06T24:00:00Z"}) {
            Instant axon;
            try {
                axon = DateTimeUtils.parseInstant(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> EventTimestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(EventTimestamps.parse(text)).as(text).isEqualTo(axon);
        }
    }

    @Test
    void refusesImpossibleDatesAsAxonDoes() {
        for (String text : new String[]{"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-06T06:60:00Z",
                "2026-12-06T06:12:6xZ"}) {
            assertThatThrownBy(() -> EventTimestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
        assertThat(EventTimestamps.parse("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    }
}
