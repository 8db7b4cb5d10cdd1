package io.chatsystem.axon.wire;

import java.util.concurrent.atomic.AtomicReference;

import io.chatsystem.axon.AxonSerializationAutoConfiguration;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.EventProcessingAutoConfiguration;
import org.axonframework.springboot.autoconfig.InfraConfiguration;
import org.axonframework.springboot.autoconfig.NoOpTransactionAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The serializers an app's Spring context builds: from its own {@code application.yml} (on the test
 * class path of the app's module), in the {@code axonserver} profile, with Axon's auto-configuration
 * and the customizers this project adds to it.
 */
public final class AppSerializers {

    private AppSerializers() {
    }

    public static WireContract.Serializers load() {
        AtomicReference<WireContract.Serializers> found = new AtomicReference<>();
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.profiles.active=axonserver")
                .withConfiguration(AutoConfigurations.of(AxonAutoConfiguration.class, InfraConfiguration.class,
                        EventProcessingAutoConfiguration.class, NoOpTransactionAutoConfiguration.class,
                        AxonSerializationAutoConfiguration.class))
                .run(context -> {
                    assertStarted(context.getStartupFailure());
                    found.set(new WireContract.Serializers(
                            context.getBean("serializer", Serializer.class),
                            context.getBean("messageSerializer", Serializer.class),
                            context.getBean("eventSerializer", Serializer.class)));
                });
        return found.get();
    }

    private static void assertStarted(Throwable failure) {
        if (failure != null) {
            throw new IllegalStateException("the serializers' context did not start", failure);
        }
    }
}
