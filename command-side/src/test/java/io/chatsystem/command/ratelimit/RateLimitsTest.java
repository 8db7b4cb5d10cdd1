package io.chatsystem.command.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

/** {@link RateLimits} as the command side binds them: from its application.yml, under the environment's variables. */
class RateLimitsTest {

    private static RateLimits bound(Map<String, Object> environment) throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new MapPropertySource("environment", environment));
        // the first document: the profiles' own come after it
        sources.addLast(new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml")).getFirst());
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bindOrCreate("chat.writes.rate-limits", RateLimits.class);
    }

    @Test
    void theDefaultsLimitEachApplicationAndEachClient() throws IOException {
        RateLimits limits = bound(Map.of());

        assertThat(limits.perApplication()).isEqualTo(new RateLimits.PerApplication(500, 1000));
        assertThat(limits.perClient()).isEqualTo(new RateLimits.PerClient(1000, 2000));
        assertThat(limits.maxTrackedKeys()).isEqualTo(100_000);
        assertThat(limits.perApplication().isOn()).isTrue();
    }

    @Test
    void theEnvironmentSetsThemAndARateOfZeroSwitchesOne() throws IOException {
        RateLimits limits = bound(Map.of("WRITE_RATE_PER_APPLICATION", "0", "WRITE_BURST_PER_APPLICATION", "7",
                "WRITE_RATE_PER_CLIENT", "2.5", "WRITE_BURST_PER_CLIENT", "10"));

        assertThat(limits.perApplication().isOn()).isFalse();
        assertThat(limits.perClient()).isEqualTo(new RateLimits.PerClient(2.5, 10));
    }

    @Test
    void withoutTheFileTheRecordHasTheSameDefaults() {
        RateLimits limits = new Binder(ConfigurationPropertySources.from(new MutablePropertySources()))
                .bindOrCreate("chat.writes.rate-limits", RateLimits.class);

        assertThat(limits).isEqualTo(new RateLimits(new RateLimits.PerApplication(500, 1000),
                new RateLimits.PerClient(1000, 2000), 100_000));
    }

    @Test
    void aLimitThatCannotWorkStopsTheStart() {
        assertThatThrownBy(() -> bound(Map.of("WRITE_BURST_PER_CLIENT", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("chat.writes.rate-limits.per-client.burst must be at least 1");
        assertThatThrownBy(() -> bound(Map.of("WRITE_RATE_PER_APPLICATION", "-1")))
                .rootCause().hasMessageContaining("chat.writes.rate-limits.per-application.rate");
    }
}
