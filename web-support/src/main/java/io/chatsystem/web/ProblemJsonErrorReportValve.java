package io.chatsystem.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Errors that Tomcat answers itself, before any application code runs (a path that is not valid
 * UTF-8 after percent-decoding, an illegal character in the request line), leave as RFC 9457
 * problem+json like every other error of the API, instead of Tomcat's HTML page.
 */
public class ProblemJsonErrorReportValve extends ErrorReportValve {

    public ProblemJsonErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Tomcat's own gate: only an error that nothing has answered yet
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
        String detail = switch (status) {
            case 400 -> "The request line is not valid (for example, its path is not valid UTF-8 after percent-decoding,"
                    + " or not in its normal form)";
            case 401 -> "This endpoint is for operators: send the operator credential (HTTP Basic)";
            default -> title;
        };
        try {
            // the headers of every problem answer (SecurityHeadersFilter): most of these no filter has seen
            response.setHeader(SecurityHeadersFilter.CONTENT_TYPE_OPTIONS, SecurityHeadersFilter.NOSNIFF);
            response.setHeader("Cache-Control", SecurityHeadersFilter.NO_STORE);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was already committed: nothing more to tell
        }
    }
}
