SELECT
  "t18"."numerator",
  "t8"."have_events",
  "t12"."population",
  "t12"."population_vintage",
  "t12"."population_source",
  "t12"."have_population"
FROM (
  SELECT
    COUNT(*) AS "numerator"
  FROM (
    SELECT
      "t6"."patent_id",
      "t6"."application_no",
      "t6"."publication_no",
      "t6"."grant_no",
      "t6"."kind",
      "t6"."filing_date",
      "t6"."publication_date",
      "t6"."grant_date",
      "t6"."priority_date",
      "t6"."title",
      "t6"."title_en",
      "t6"."abstract",
      "t6"."claims_count",
      "t6"."ipc_main",
      "t6"."applicant_address",
      "t6"."applicant_region",
      "t6"."owner_address",
      "t6"."owner_region",
      "t6"."region_code",
      "t6"."attribution_basis",
      "t6"."country",
      "t6"."domestic",
      "t6"."pct",
      "t6"."pct_application_no",
      "t6"."pct_date",
      "t6"."family_id",
      "t6"."family_size",
      "t6"."foreign_family",
      "t6"."cited_by_count",
      "t6"."industry",
      "t6"."status",
      "t6"."synthetic",
      "t6"."batch_id",
      "t15"."status" AS "status_right",
      "t15"."status_date"
    FROM (
      SELECT
        *
      FROM "patent" AS "t1"
      WHERE
        "t1"."region_code" IN ('120116Z6', '120116402')
        AND "t1"."kind" = 'invention'
        AND COALESCE("t1"."domestic", FALSE)
    ) AS "t6"
    INNER JOIN (
      SELECT
        *
      FROM (
        SELECT
          "t4"."patent_id",
          FIRST(
            "t4"."status_after" ORDER BY (
              (
                (
                  CAST(EXTRACT(year FROM "t4"."event_date") AS BIGINT) * 10000
                ) + (
                  EXTRACT(month FROM "t4"."event_date") * 100
                ) + EXTRACT(day FROM "t4"."event_date")
              ) * 10
            ) + CASE "t4"."event"
              WHEN 'filed'
              THEN 1
              WHEN 'published'
              THEN 2
              WHEN 'rejected'
              THEN 3
              WHEN 'withdrawn'
              THEN 3
              WHEN 'granted'
              THEN 4
              WHEN 'lapsed'
              THEN 5
              WHEN 'expired'
              THEN 5
              WHEN 'invalidated'
              THEN 5
              WHEN 'surrendered'
              THEN 5
              WHEN 'restored'
              THEN 6
              ELSE 0
            END DESC
          ) AS "status",
          MAX("t4"."event_date") AS "status_date"
        FROM (
          SELECT
            *
          FROM "patent_event" AS "t0"
          WHERE
            "t0"."status_after" IS NOT NULL AND "t0"."event_date" <= MAKE_DATE(2021, 12, 31)
        ) AS "t4"
        GROUP BY
          1
      ) AS "t13"
      WHERE
        "t13"."status" = 'granted'
    ) AS "t15"
      ON "t6"."patent_id" = "t15"."patent_id"
  ) AS "t16"
) AS "t18"
CROSS JOIN (
  SELECT
    COUNT(*) AS "have_events"
  FROM (
    SELECT
      *
    FROM "patent_event" AS "t0"
    WHERE
      "t0"."event_date" <= MAKE_DATE(2021, 12, 31)
  ) AS "t3"
) AS "t8"
CROSS JOIN (
  SELECT
    *
  FROM (
    SELECT
      FIRST("t9"."value" ORDER BY "t9"."rank" DESC) AS "population",
      FIRST("t9"."vintage" ORDER BY "t9"."rank" DESC) AS "population_vintage",
      FIRST("t9"."source" ORDER BY "t9"."rank" DESC) AS "population_source",
      COUNT(*) AS "have_population"
    FROM (
      SELECT
        "t2"."region_code",
        "t2"."year",
        "t2"."fact",
        "t2"."value",
        "t2"."unit",
        "t2"."source",
        "t2"."vintage",
        "t2"."batch_id",
        CASE
          WHEN REGEXP_MATCHES("t2"."vintage", '^[0-9]{4}')
          THEN SUBSTRING(
            "t2"."vintage",
            CASE WHEN (
              0 + 1
            ) >= 1 THEN 0 + 1 ELSE 0 + 1 + LENGTH("t2"."vintage") END,
            4
          )
          ELSE CAST("t2"."year" AS TEXT)
        END || CASE WHEN REGEXP_MATCHES("t2"."vintage", '^[0-9]{4}') THEN '1' ELSE '0' END || "t2"."vintage" AS "rank"
      FROM "region_fact" AS "t2"
      WHERE
        "t2"."region_code" = '120116Z6'
        AND "t2"."fact" = 'population'
        AND "t2"."year" = 2021
    ) AS "t9"
  ) AS "t10"
) AS "t12"
