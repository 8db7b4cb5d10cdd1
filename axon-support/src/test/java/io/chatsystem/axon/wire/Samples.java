package io.chatsystem.axon.wire;

import java.lang.reflect.Array;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a sample value of any type the messages are made of: records (recursively), strings,
 * numbers, instants, enums, lists and optionals. The values are chosen to be hard for a wire
 * format: non-ASCII text, an emoji, an instant with microseconds, lists of two elements.
 */
public final class Samples {

    static final String TEXT = "Grüße, \"wire\" 👋";
    static final Instant INSTANT = Instant.parse("2026-01-02T03:04:05.123456Z");

    private Samples() {
    }

    public static Object of(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type element = parameterized.getActualTypeArguments()[0];
            if (raw == Optional.class) {
                return Optional.of(of(element));
            }
            if (List.class.isAssignableFrom(raw)) {
                List<Object> list = new ArrayList<>();
                list.add(of(element));
                list.add(of(element));
                return list;
            }
            throw new IllegalArgumentException("no sample for " + type + ": teach Samples this type");
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) {
            return TEXT;
        }
        if (cls == int.class || cls == Integer.class) {
            return 7;
        }
        if (cls == long.class || cls == Long.class) {
            return 4_000_000_000L;
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return true;
        }
        if (cls == Instant.class) {
            return INSTANT;
        }
        if (cls.isEnum()) {
            return cls.getEnumConstants()[0];
        }
        if (cls.isRecord()) {
            return record(cls);
        }
        throw new IllegalArgumentException("no sample for " + cls.getName() + ": teach Samples this type");
    }

    private static Object record(Class<?> cls) {
        RecordComponent[] components = cls.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = (Object[]) Array.newInstance(Object.class, components.length);
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = of(components[i].getGenericType());
        }
        try {
            var constructor = cls.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a sample " + cls.getName(), e);
        }
    }
}
