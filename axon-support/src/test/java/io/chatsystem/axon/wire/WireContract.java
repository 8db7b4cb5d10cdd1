package io.chatsystem.axon.wire;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.DynamicTest;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Axon Server does to every message, done in a unit test: serialize it with the app's own
 * serializers, deserialize it, and compare. Over Axon Server every command, command result, query,
 * query answer and event crosses the wire this way; the in-JVM buses of the default mode never
 * serialize, so without this a type that does not survive the trip goes unnoticed until a real
 * Axon Server is used.
 *
 * <p>The handlers are found by scanning the app's packages, so a new one is covered without editing
 * a test. A query's answer is converted with the query's own {@link ResponseType}, as the query
 * gateway does after the trip.
 */
public final class WireContract {

    /** The serializers of an Axon app, by role, as its Spring context builds them. */
    public record Serializers(Serializer general, Serializer messages, Serializer events) {
    }

    private final Serializers serializers;
    private final List<Class<?>> classes;
    private final Function<Object, ResponseType<?>> responseTypeOfQuery;
    private final List<Class<?>> exceptionDetails = new ArrayList<>();
    private Function<Object, Optional<ResponseType<?>>> updateTypeOfQuery = query -> Optional.empty();

    private WireContract(Serializers serializers, List<Class<?>> classes,
                         Function<Object, ResponseType<?>> responseTypeOfQuery) {
        this.serializers = serializers;
        this.classes = classes;
        this.responseTypeOfQuery = responseTypeOfQuery;
    }

    /**
     * @param basePackage         where the app's handlers live
     * @param responseTypeOfQuery the response type the app asks a query with
     */
    public static WireContract of(Serializers serializers, String basePackage,
                                  Function<Object, ResponseType<?>> responseTypeOfQuery) {
        return new WireContract(serializers, classesIn(basePackage), responseTypeOfQuery);
    }

    /**
     * Queries that are also asked as subscription queries, with the type their updates are converted
     * with: each update crosses the wire like an answer.
     */
    public WireContract withSubscriptionUpdates(Function<Object, Optional<ResponseType<?>>> updateTypeOfQuery) {
        this.updateTypeOfQuery = updateTypeOfQuery;
        return this;
    }

    /** Types that travel as the details of a failed command or query. */
    public WireContract withExceptionDetails(Class<?>... types) {
        exceptionDetails.addAll(List.of(types));
        return this;
    }

    /** One test per handled message type (and answer), per exception detail type. */
    public Stream<DynamicTest> tests() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Executable handler : handlers(CommandHandler.class)) {
            tests.add(DynamicTest.dynamicTest("command " + name(payloadType(handler)) + " at " + where(handler),
                    () -> assertRoundTrip(serializers.messages(), Samples.of(payloadType(handler)))));
            resultType(handler).ifPresent(result -> tests.add(DynamicTest.dynamicTest(
                    "result " + result.getTypeName() + " of " + where(handler),
                    () -> assertRoundTrip(serializers.messages(), Samples.of(result)))));
        }
        for (Executable handler : handlers(QueryHandler.class)) {
            tests.add(DynamicTest.dynamicTest("query " + name(payloadType(handler)) + " at " + where(handler),
                    () -> assertRoundTrip(serializers.messages(), Samples.of(payloadType(handler)))));
            tests.add(DynamicTest.dynamicTest("answer to " + name(payloadType(handler)) + " at " + where(handler),
                    () -> assertAnswerRoundTrip((Method) handler)));
            updateTypeOfQuery.apply(Samples.of(payloadType(handler))).ifPresent(updateType -> tests.add(
                    DynamicTest.dynamicTest("update of " + name(payloadType(handler)) + " at " + where(handler), () -> {
                        Object update = Samples.of(updateType.getExpectedResponseType());
                        assertThat(updateType.convert(roundTrip(serializers.messages(), update)))
                                .as("update converted by %s", updateType).isEqualTo(update);
                    })));
        }
        for (Executable handler : handlers(EventHandler.class)) {
            tests.add(DynamicTest.dynamicTest("event " + name(payloadType(handler)) + " at " + where(handler),
                    () -> assertRoundTrip(serializers.events(), Samples.of(payloadType(handler)))));
        }
        for (Class<?> details : exceptionDetails) {
            for (Object constant : details.getEnumConstants()) {
                tests.add(DynamicTest.dynamicTest("exception details " + details.getSimpleName() + "." + constant,
                        () -> assertRoundTrip(serializers.messages(), constant)));
            }
        }
        assertThat(tests).as("handlers found under the scanned package").isNotEmpty();
        return tests.stream();
    }

    private void assertRoundTrip(Serializer serializer, Object sample) {
        assertThat(roundTrip(serializer, sample)).as("%s after serialization", sample.getClass().getName())
                .isEqualTo(sample);
    }

    /**
     * The handler's answer crosses as its runtime type (an {@code Optional} is unwrapped first, an
     * empty one crosses as null), and the asker converts what arrives with its response type.
     */
    private void assertAnswerRoundTrip(Method handler) {
        Object query = Samples.of(payloadType(handler));
        ResponseType<?> responseType = responseTypeOfQuery.apply(query);
        assertThat(responseType.matches(handler.getGenericReturnType()))
                .as("the query's response type %s matches what %s returns, so the bus routes it there",
                        responseType, where(handler))
                .isTrue();
        Object answer = Samples.of(handler.getGenericReturnType());
        if (answer instanceof Optional<?> optional) {
            Object arrived = roundTrip(serializers.messages(), optional.orElseThrow());
            assertThat(responseType.convert(arrived)).as("answer converted by %s", responseType).isEqualTo(answer);
            assertThat(responseType.convert(null)).as("empty answer converted by %s", responseType)
                    .isEqualTo(Optional.empty());
        } else {
            Object arrived = roundTrip(serializers.messages(), answer);
            assertThat(responseType.convert(arrived)).as("answer converted by %s", responseType).isEqualTo(answer);
        }
    }

    private static Object roundTrip(Serializer serializer, Object value) {
        SerializedObject<byte[]> serialized = serializer.serialize(value, byte[].class);
        return serializer.deserialize(serialized);
    }

    private List<Executable> handlers(Class<? extends Annotation> annotation) {
        List<Executable> handlers = new ArrayList<>();
        for (Class<?> type : classes) {
            Stream.concat(Stream.of(type.getDeclaredConstructors()), Stream.of(type.getDeclaredMethods()))
                    .filter(member -> AnnotatedElementUtils.hasAnnotation(member, annotation))
                    .forEach(handlers::add);
        }
        handlers.sort(Comparator.comparing(WireContract::where));
        return handlers;
    }

    private static Type payloadType(Executable handler) {
        if (handler.getParameterCount() == 0) {
            throw new IllegalStateException(where(handler) + " names its payload type in its annotation: "
                    + "teach WireContract to read it");
        }
        return handler.getGenericParameterTypes()[0];
    }

    /** A constructor's result is the new aggregate's identifier; a void method answers nothing. */
    private static Optional<Type> resultType(Executable handler) {
        if (handler instanceof Constructor<?> constructor) {
            return identifierType(constructor.getDeclaringClass());
        }
        Type result = ((Method) handler).getGenericReturnType();
        return result == void.class ? Optional.empty() : Optional.of(result);
    }

    private static Optional<Type> identifierType(Class<?> aggregate) {
        for (Class<?> type = aggregate; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (AnnotatedElementUtils.hasAnnotation(field, AggregateIdentifier.class)) {
                    return Optional.of(field.getGenericType());
                }
            }
        }
        return Optional.empty();
    }

    private static String name(Type type) {
        return type instanceof Class<?> cls ? cls.getSimpleName()
                : type instanceof ParameterizedType p ? p.getTypeName() : type.toString();
    }

    private static String where(Executable handler) {
        return handler.getDeclaringClass().getSimpleName() + "." + (handler instanceof Constructor<?> ? "<init>"
                : handler.getName()) + "(" + name(handler.getGenericParameterTypes().length == 0 ? Void.class
                : handler.getGenericParameterTypes()[0]) + ")";
    }

    private static List<Class<?>> classesIn(String basePackage) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isIndependent();
            }
        };
        scanner.addIncludeFilter((reader, factory) -> true);
        List<Class<?>> classes = new ArrayList<>();
        for (var definition : scanner.findCandidateComponents(basePackage)) {
            classes.add(ClassUtils.resolveClassName(definition.getBeanClassName(), WireContract.class.getClassLoader()));
        }
        return classes;
    }
}
