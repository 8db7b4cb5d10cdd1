package io.chatsystem.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * A request body larger than {@code maxBytes} is refused with 413, as the gateways refuse it: at once when
 * its {@code Content-Length} says so, before any of it is read (the connection is then closed, so the rest
 * is not read either); a body of unannounced length when it grows past the limit, as it is read (Spring
 * MVC answers {@link MaxUploadSizeExceededException} with 413).
 */
final class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    RequestBodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is " + length + " bytes; at most " + maxBytes + " are accepted", null);
            return;
        }
        chain.doFilter(length < 0 ? new LimitedBody(request, maxBytes) : request, response);
    }

    /** A request whose body stops with {@link MaxUploadSizeExceededException} past the limit. */
    private static final class LimitedBody extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream body;

        LimitedBody(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new Counted(super.getInputStream(), maxBytes);
            }
            return body;
        }
    }

    private static final class Counted extends ServletInputStream {

        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        Counted(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            read += n;
            if (read > maxBytes) {
                throw new MaxUploadSizeExceededException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
