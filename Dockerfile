# syntax=docker/dockerfile:1
# Both apps from one multi-stage build: `docker build --target command-side .` or `--target query-side`.

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# every module's pom, so that Maven sees the whole reactor; then only the sources the two apps need
COPY pom.xml ./
COPY shared-api/pom.xml shared-api/
COPY axon-support/pom.xml axon-support/
COPY web-support/pom.xml web-support/
COPY command-side/pom.xml command-side/
COPY query-side/pom.xml query-side/
COPY local-stack/pom.xml local-stack/
COPY system-tests/pom.xml system-tests/
COPY benchmark/pom.xml benchmark/
COPY shared-api/src shared-api/src
COPY axon-support/src axon-support/src
COPY web-support/src web-support/src
COPY command-side/src command-side/src
COPY query-side/src query-side/src
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -pl command-side,query-side -am package \
 && cp command-side/target/command-side-*-exec.jar /command-side.jar \
 && cp query-side/target/query-side-*-exec.jar /query-side.jar

FROM eclipse-temurin:21-jre-alpine AS runtime
RUN addgroup -S chat && adduser -S -G chat chat
WORKDIR /app
USER chat
# MetaspaceSize, SweeperThreshold: no collection for class metadata or compiled code while the apps warm up
# (at the defaults such collections came under load and stopped the query side for about a second)
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:MetaspaceSize=256m -XX:SweeperThreshold=50" \
    AXONIQ_UPDATE_CHECKER_DISABLED=true
ENTRYPOINT ["java", "-jar", "/app/app.jar"]

FROM runtime AS command-side
COPY --from=build /command-side.jar /app/app.jar
# where the command side may keep the token secret it generates (IDEMPOTENCY_TOKEN_SECRET_FILE; docker
# compose mounts a volume here): its user's alone, and a new named volume takes this owner and mode
USER root
RUN mkdir -p /var/lib/chat/secrets && chown chat:chat /var/lib/chat/secrets && chmod 700 /var/lib/chat/secrets
USER chat
EXPOSE 8081

FROM runtime AS query-side
COPY --from=build /query-side.jar /app/app.jar
EXPOSE 8082
