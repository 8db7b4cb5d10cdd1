package io.chatsystem.query.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NoCorrelationDataTest {

    @Test
    void noProviderIsLeftWhateverOrderTheModulesAreListedIn() {
        // as Axon's Spring Boot configuration installs its default provider
        ConfigurerModule axons = configurer -> configurer.configureCorrelationDataProviders(
                c -> List.of(new MessageOriginProvider()));

        assertThat(configuredWith(List.of(new NoCorrelationData(), axons)).correlationDataProviders()).isEmpty();
        assertThat(configuredWith(List.of(axons, new NoCorrelationData())).correlationDataProviders()).isEmpty();
    }

    /** The modules applied as Axon's Spring configuration applies them: by their order. */
    private static Configuration configuredWith(List<ConfigurerModule> modules) {
        Configurer configurer = DefaultConfigurer.defaultConfiguration();
        List<ConfigurerModule> sorted = new ArrayList<>(modules);
        sorted.sort(Comparator.comparingInt(ConfigurerModule::order));
        sorted.forEach(module -> module.configureModule(configurer));
        return configurer.buildConfiguration();
    }
}
