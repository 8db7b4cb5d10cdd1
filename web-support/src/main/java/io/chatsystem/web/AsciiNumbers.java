package io.chatsystem.web;

import java.beans.PropertyEditorSupport;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * A number in a path, a query parameter or a header is ASCII digits, after an optional minus sign: the
 * text a client sends is the number that is used. Java's and Spring's own parsing also take other
 * scripts' digits (a full-width {@code １} was chat 1), a plus sign, surrounding spaces, and {@code 0x}
 * or {@code #} hexadecimal. Any of those is a malformed number here, answered 400 like {@code abc}; a
 * negative number is well-formed and answered as what it names (no chat has one: 404).
 *
 * <p>An editor rather than a {@code Converter}: when a converter of Spring MVC's conversion service fails,
 * the data binder falls back to its default number editor, which accepts those digits again.
 */
@ControllerAdvice
public class AsciiNumbers {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");

    /** Every {@code int} and {@code Integer} a controller takes from the request goes through {@link #parse}. */
    @InitBinder
    void asciiDigitsOnly(WebDataBinder binder) {
        binder.registerCustomEditor(int.class, new Editor(false));
        binder.registerCustomEditor(Integer.class, new Editor(true));
    }

    /**
     * {@code text} as an int: an optional {@code -} and ASCII digits, nothing else.
     *
     * @throws NumberFormatException for any other text, or a number out of an int's range
     */
    public static int parse(String text) {
        if (!NUMBER.matcher(text).matches()) {
            throw new NumberFormatException("not a number of ASCII digits: \"" + text + "\"");
        }
        return Integer.parseInt(text);
    }

    /** An absent number ({@code ?page=}) stays absent where the type allows it, as with Spring's own conversion. */
    private static final class Editor extends PropertyEditorSupport {

        private final boolean emptyIsNull;

        Editor(boolean emptyIsNull) {
            this.emptyIsNull = emptyIsNull;
        }

        @Override
        public void setAsText(String text) {
            setValue(emptyIsNull && text.isEmpty() ? null : parse(text));
        }
    }
}
