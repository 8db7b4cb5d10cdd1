package io.chatsystem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.web.bind.WebDataBinder;

class AsciiNumbersTest {

    /** Spelled out: {@code "\uFF11"} is a full-width one, {@code "\u0663"} an Arabic-Indic three. */
    private static final String[] MALFORMED = {"\uFF11", "1\uFF12", "\u0663", "+1", " 1", "1 ", "0x1", "#1", "1_0", "-",
            "", "2147483648"};

    @Test
    void aNumberIsAsciiDigitsAfterAnOptionalMinus() {
        assertThat(AsciiNumbers.parse("0")).isZero();
        assertThat(AsciiNumbers.parse("42")).isEqualTo(42);
        assertThat(AsciiNumbers.parse("007")).isEqualTo(7);
        assertThat(AsciiNumbers.parse("-1")).isEqualTo(-1);
        assertThat(AsciiNumbers.parse("2147483647")).isEqualTo(Integer.MAX_VALUE);
        for (String text : MALFORMED) {
            assertThatThrownBy(() -> AsciiNumbers.parse(text)).as(text).isInstanceOf(NumberFormatException.class);
        }
    }

    /** The binder as Spring MVC has it for a path variable or a parameter: its conversion service alone reads other digits. */
    @Test
    void pathVariablesAndParametersTakeOnlyAsciiNumbers() {
        assertThat(binder(false).convertIfNecessary("\uFF11", int.class)).as("Spring's own conversion").isEqualTo(1);

        WebDataBinder binder = binder(true);
        for (String text : MALFORMED) {
            assertThatThrownBy(() -> binder.convertIfNecessary(text, int.class)).as(text)
                    .isInstanceOf(TypeMismatchException.class);
        }
        for (String text : new String[] {"\uFF11", "+1", "0x1", " 1"}) {
            assertThatThrownBy(() -> binder.convertIfNecessary(text, Integer.class)).as(text)
                    .isInstanceOf(TypeMismatchException.class);
        }
        assertThat(binder.convertIfNecessary("12", int.class)).isEqualTo(12);
        assertThat(binder.convertIfNecessary("-1", Integer.class)).isEqualTo(-1);
        assertThat(binder.convertIfNecessary("", Integer.class)).as("?page= is no page").isNull();
    }

    private static WebDataBinder binder(boolean asciiNumbers) {
        WebDataBinder binder = new WebDataBinder(null);
        binder.setConversionService(new DefaultFormattingConversionService());
        if (asciiNumbers) {
            new AsciiNumbers().asciiDigitsOnly(binder);
        }
        return binder;
    }
}
