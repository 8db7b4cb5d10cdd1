package io.chatsystem.axon;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;

class EventInstantDeserializerTest {

    record Sent(Instant sentAt) {
    }

    private final JsonMapper ours = JsonMapper.builder()
            .addModule(new SimpleModule().addDeserializer(Instant.class, new EventInstantDeserializer())).build();
    private final JsonMapper jacksons = JsonMapper.builder().build();

    @Test
    void readsWhatJacksonReadsWhateverTheForm() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(253_402_300_800L), i % 3 == 0 ? 0 : random.nextInt(1_000_000_000));
            String json = jacksons.writeValueAsString(new Sent(instant));
            assertThat(ours.readValue(json, Sent.class)).as(json).isEqualTo(jacksons.readValue(json, Sent.class))
                    .isEqualTo(new Sent(instant));
        }
        for (String json : new String[]{"{\"sentAt\":\"2026-12-06T07:12:26.5+01:00\"}", "{\"sentAt\":1796537200.123456789}",
                "{\"sentAt\":1796537200123}", "{\"sentAt\":null}", "{\"sentAt\":\"2026-12-06T06:12:26.123Z\"}"}) {
            assertThat(ours.readValue(json, Sent.class)).as(json).isEqualTo(jacksons.readValue(json, Sent.class));
        }
    }
}
