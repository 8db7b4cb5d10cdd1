package io.chatsystem.system;

import static io.chatsystem.system.Api.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatsystem.stack.AppProcess;
import io.chatsystem.stack.Gateway;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API console on the gateway, in a real browser (Debian's chromium, headless, driven through
 * chromium-driver): it lists every operation of both sides from the one OpenAPI description, and a request
 * sent from it creates an application.
 */
class ApiConsoleIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PAGE_WAIT = Duration.ofSeconds(60);

    /** Every operation of the public API, as the console shows them: method and path. */
    private static final Set<String> OPERATIONS = Set.of(
            "POST /api/v1/applications", "GET /api/v1/applications",
            "GET /api/v1/applications/{token}", "PUT /api/v1/applications/{token}",
            "POST /api/v1/applications/{token}/chats", "GET /api/v1/applications/{token}/chats",
            "GET /api/v1/applications/{token}/chats/{number}",
            "POST /api/v1/applications/{token}/chats/{chat}/messages", "GET /api/v1/applications/{token}/chats/{chat}/messages",
            "GET /api/v1/applications/{token}/chats/{chat}/messages/{number}",
            "PUT /api/v1/applications/{token}/chats/{chat}/messages/{number}",
            "GET /api/v1/applications/{token}/chats/{chat}/messages/search",
            "GET /api/v1/applications/{token}/chats/{chat}/messages/stream",
            "GET /api/v1/applications/{token}/events", "GET /api/v1/applications/{token}/chats/{chat}/events");

    private final SystemUnderTest system = SystemUnderTest.get();

    @Test
    void theConsoleListsEveryOperationAndCreatesAnApplication() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        // CI (.ci/run) installs them and requires this test to run; elsewhere it runs where they are installed
        if (!installed && "true".equals(System.getenv("REQUIRE_BROWSER"))) {
            throw new AssertionError("Debian's chromium and chromium-driver are not installed");
        }
        assumeTrue(installed, "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");

        // a query side of its own, given the command side running now (earlier tests replace command sides)
        String commandSide = system.commandSideUrls().getFirst();
        try (AppProcess querySide = system.startExtraQuerySide(Map.of("COMMAND_SIDE_URL", commandSide));
             Gateway gateway = Gateway.start("127.0.0.1", 0, List.of(URI.create(commandSide)),
                     List.of(URI.create(querySide.baseUrl())))) {
            WebDriver browser = browser();
            try {
                browser.get(gateway.url() + "/");
                WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
                wait.until(page -> page.findElements(By.cssSelector(".opblock")).size() >= OPERATIONS.size());

                Set<String> listed = new TreeSet<>();
                for (WebElement operation : browser.findElements(By.cssSelector(".opblock"))) {
                    listed.add(operation.findElement(By.cssSelector(".opblock-summary-method")).getText() + " "
                            + operation.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path"));
                }
                assertThat(listed).containsExactlyInAnyOrderElementsOf(OPERATIONS);

                WebElement create = browser.findElements(By.cssSelector(".opblock.opblock-post")).stream()
                        .filter(operation -> "/api/v1/applications".equals(operation
                                .findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path")))
                        .findFirst().orElseThrow();
                create.findElement(By.cssSelector(".opblock-summary")).click();
                // the console opens operations ready to try (springdoc.swagger-ui.try-it-out-enabled)
                WebElement body = wait.until(page -> create.findElement(By.cssSelector("textarea.body-param__text")));
                body.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
                body.sendKeys("{\"name\": \"from the console\"}");
                create.findElement(By.cssSelector("button.execute")).click();

                WebElement status = wait.until(page -> create.findElement(
                        By.cssSelector(".live-responses-table .response .response-col_status")));
                // the answer the description documents (not "Undocumented")
                assertThat(status.getText().lines().toList()).containsExactly("201");
                String answer = create.findElement(By.cssSelector(".live-responses-table .response .response-col_description"))
                        .getText();
                Matcher token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
                assertThat(token.find()).as(answer).isTrue();

                Api api = system.api();
                eventually(() -> assertThat(api.getJson("/api/v1/applications/" + token.group(1)).get("name").asString())
                        .isEqualTo("from the console"));
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,3000");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
        return new ChromeDriver(driver, options);
    }
}
