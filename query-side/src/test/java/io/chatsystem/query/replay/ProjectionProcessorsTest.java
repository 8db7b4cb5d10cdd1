package io.chatsystem.query.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setting that names no projection stops the start instead of being ignored. */
class ProjectionProcessorsTest {

    private static final List<String> PROJECTIONS = List.of("applications", "chats", "messages", "counts", "search");

    @Test
    void settingsForProjectionsAreTaken() {
        assertThatCode(() -> processors(Map.of("search", Duration.ofMillis(200)), Map.of("search", 2)))
                .doesNotThrowAnyException();
    }

    @Test
    void aLingerForANameThatIsNoProjectionStopsTheStart() {
        assertThatThrownBy(() -> processors(Map.of("serach", Duration.ofMillis(200)), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chat.projections.linger names [serach], which is no projection");
    }

    @Test
    void segmentsForANameThatIsNoProjectionStopTheStart() {
        assertThatThrownBy(() -> processors(Map.of(), Map.of("serach", 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segments-by-projection names [serach]");
    }

    @Test
    void readsThatWaitForAProjectionThatIsNotThereStopTheStart() {
        assertThatThrownBy(() -> new ProjectionProcessors(null, null, null, null, null,
                settings(Map.of(), Map.of()), models(List.of("applications", "chats")), new TokenClaims(Duration.ofSeconds(10))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reads waiting for a write names");
    }

    private static void processors(Map<String, Duration> linger, Map<String, Integer> segments) {
        new ProjectionProcessors(null, null, null, null, null, settings(linger, segments), models(PROJECTIONS),
                new TokenClaims(Duration.ofSeconds(10)));
    }

    private static ProjectionProcessors.Settings settings(Map<String, Duration> linger, Map<String, Integer> segments) {
        return new ProjectionProcessors.Settings(1000, 1, segments, Duration.ofSeconds(1), linger);
    }

    private static List<ReadModel> models(List<String> names) {
        return names.stream().<ReadModel>map(name -> new ReadModel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object handlers(int version) {
                return new Object();
            }

            @Override
            public void create(int version) {
            }

            @Override
            public void publish(int version) {
            }

            @Override
            public void drop(int version) {
            }

            @Override
            public boolean published() {
                return false;
            }
        }).toList();
    }
}
