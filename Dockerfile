# The dashboard as a container: build with the Maven wrapper, run the Boot jar on a JRE.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY src src
COPY frontend-assets frontend-assets
RUN ./mvnw -B -ntp package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
RUN useradd --system --home /app memdoctor && mkdir /data && chown memdoctor /data
COPY --from=build /src/target/redis-memory-doctor.jar app.jar
USER memdoctor
ENV MEMDOCTOR_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
