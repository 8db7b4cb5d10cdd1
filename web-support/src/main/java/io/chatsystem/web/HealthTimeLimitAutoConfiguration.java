package io.chatsystem.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Mono;

/**
 * Health answers within {@code chat.health.timeout} (1 s by default), whatever hangs: a frozen or
 * unreachable store shows DOWN at once instead of holding the health request for as long as its
 * client's own timeout (30 s for a connection from the pool).
 *
 * <p>Actuator asks the indicators one after another, so each one waiting its own second would add
 * up. Instead, the first indicator asked starts a round: every indicator's check runs at once, in
 * virtual threads, and each answer is awaited until the round's one deadline. A check still running
 * then is reported DOWN; it goes on in the background until its client gives up.
 */
@AutoConfiguration
@ConditionalOnClass(HealthIndicator.class)
public class HealthTimeLimitAutoConfiguration {

    static final String TIMEOUT_PROPERTY = "chat.health.timeout";

    @Bean
    static BeanPostProcessor healthTimeLimit(Environment environment) {
        Rounds rounds = new Rounds(environment.getProperty(TIMEOUT_PROPERTY, Duration.class, Duration.ofSeconds(1)));
        boolean reactive = ClassUtils.isPresent("reactor.core.publisher.Mono", null);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof TimeLimited || bean instanceof ReactiveTimeLimited) {
                    return bean;
                }
                if (bean instanceof HealthIndicator indicator) {
                    return new TimeLimited(rounds.add(() -> indicator.health(true)));
                }
                // Redis's indicator is a reactive one where Reactor is present: it joins the rounds the same way
                if (reactive && bean instanceof ReactiveHealthIndicator indicator) {
                    return new ReactiveTimeLimited(rounds.add(() -> indicator.health(true).block()));
                }
                return bean;
            }
        };
    }

    /** The indicators, and the round of checks under way. */
    static final class Rounds {

        private final Duration timeout;
        private final List<Member> members = new CopyOnWriteArrayList<>();
        private final Executor checks = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("health-check-", 0).factory());
        private Round current;

        Rounds(Duration timeout) {
            this.timeout = timeout;
        }

        Member add(Supplier<Health> check) {
            Member member = new Member(check, this);
            members.add(member);
            return member;
        }

        /**
         * The round for {@code member}: the one under way, or a new one. A round answers each member
         * once, so the next health request starts a fresh round; and it serves until one more timeout
         * has passed after its deadline, so that the indicators asked after a slow one (in the same
         * health request) read this round's answers instead of starting, and waiting for, another.
         */
        synchronized Round current(Member member) {
            if (current == null || current.isOver(timeout) || !current.asked().add(member)) {
                long deadline = System.nanoTime() + timeout.toNanos();
                current = new Round(deadline, members.stream().collect(Collectors.toMap(Function.identity(),
                        each -> CompletableFuture.supplyAsync(each.check, checks))), ConcurrentHashMap.newKeySet());
                current.asked().add(member);
            }
            return current;
        }
    }

    /** One check of every indicator, started together, with one deadline. */
    record Round(long deadlineNanos, Map<Member, CompletableFuture<Health>> answers, Set<Member> asked) {

        boolean isOver(Duration timeout) {
            return System.nanoTime() >= deadlineNanos + timeout.toNanos();
        }

        Health answerOf(Member member, Duration timeout) {
            try {
                long left = Math.max(0, deadlineNanos - System.nanoTime());
                return answers.get(member).get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return Health.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
            } catch (ExecutionException e) {
                return Health.down().withDetail("error", String.valueOf(e.getCause())).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.unknown().build();
            }
        }
    }

    /** One indicator's check, answered from the current round. */
    static final class Member {

        private final Supplier<Health> check;
        private final Rounds rounds;

        Member(Supplier<Health> check, Rounds rounds) {
            this.check = check;
            this.rounds = rounds;
        }

        /** This check alone, within the timeout: no round of every indicator is started for it. */
        Health alone() {
            long deadline = System.nanoTime() + rounds.timeout.toNanos();
            return new Round(deadline, Map.of(this, CompletableFuture.supplyAsync(check, rounds.checks)), Set.of(this))
                    .answerOf(this, rounds.timeout);
        }

        Health health(boolean includeDetails) {
            Health health = rounds.current(this).answerOf(this, rounds.timeout);
            return includeDetails ? health : Health.status(health.getStatus()).build();
        }
    }

    /**
     * An indicator whose check can run on its own: the {@link StoreMonitor}'s probes of one store, a few times
     * a second, would otherwise start a round of every indicator (Elasticsearch, Redis, the projections...)
     * each time, most of what an idle app spent.
     */
    public interface SingleCheck {

        /** This indicator's status alone, within the time limit. */
        Health checkAlone();
    }

    /** A health indicator in its place. */
    record TimeLimited(Member member) implements HealthIndicator, SingleCheck {

        @Override
        public Health checkAlone() {
            return member.alone();
        }

        @Override
        public Health health(boolean includeDetails) {
            return member.health(includeDetails);
        }

        @Override
        public Health health() {
            return member.health(true);
        }
    }

    /** A reactive health indicator in its place: still reactive, for Actuator's reactive registry. */
    record ReactiveTimeLimited(Member member) implements ReactiveHealthIndicator, SingleCheck {

        @Override
        public Health checkAlone() {
            return member.alone();
        }

        @Override
        public Mono<Health> health(boolean includeDetails) {
            return Mono.fromSupplier(() -> member.health(includeDetails));
        }

        @Override
        public Mono<Health> health() {
            return health(true);
        }
    }
}
