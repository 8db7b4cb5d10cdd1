package io.chatsystem.query.config;

import java.time.Duration;
import java.util.Map;

import org.axonframework.config.EventProcessingModule;
import org.axonframework.springboot.EventProcessorProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A linger set for a name that is no projection stops the query side at start-up instead of being ignored. */
class ProjectionPacingTest {

    private final EventProcessorProperties processors = new EventProcessorProperties();

    ProjectionPacingTest() {
        processors.getProcessors().put("search", new EventProcessorProperties.ProcessorSettings());
    }

    @Test
    void aLingerForAProjectionIsRegistered() {
        assertThatCode(() -> linger(Map.of("search", Duration.ofMillis(200)))).doesNotThrowAnyException();
    }

    @Test
    void aLingerForANameThatIsNoProjectionStopsTheStart() {
        assertThatThrownBy(() -> linger(Map.of("serach", Duration.ofMillis(200))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serach, which is no projection");
    }

    private void linger(Map<String, Duration> lingers) {
        new AxonConfig().lingerWhereReadersWait(new EventProcessingModule(), new AxonConfig.ProjectionPacing(lingers),
                processors, null);
    }
}
