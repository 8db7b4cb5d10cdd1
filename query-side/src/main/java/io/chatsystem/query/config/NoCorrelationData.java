package io.chatsystem.query.config;

import java.util.List;

import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.springframework.stereotype.Component;

/**
 * The query side attaches no correlation data to the messages its handlers produce. It sends no command
 * or event that could carry it on, and Axon's default provider deserialized every event's metadata to copy
 * its ids onto each handler's result message, which nothing reads (8 % of the query side's samples in a
 * replay of all projections). Runs after Axon's own module, which installs that default.
 */
@Component
class NoCorrelationData implements ConfigurerModule {

    @Override
    public void configureModule(Configurer configurer) {
        configurer.configureCorrelationDataProviders(configuration -> List.of());
    }

    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }
}
