package io.memdoctor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Redis Memory Doctor: records the memory history of every configured Redis and helps tell data growth,
 * fragmentation and copy-on-write apart.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RedisMemoryDoctorApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedisMemoryDoctorApplication.class, args);
    }
}
