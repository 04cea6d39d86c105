"""Questions written against real ECB+ coverage for ask(): answerable ones name words the found
sentence must contain; unanswerable ones (expect None) are absent from that coverage.

DEV chooses ask.MIN_SUPPORT; TEST only reports. Each split has its own coverage (its own topics),
so the threshold is judged on stories it never saw.
"""

from __future__ import annotations

DEV_TOPICS = ("ecb01", "ecb04", "ecb39", "ecb43")
TEST_TOPICS = ("ecb22", "ecb24", "ecb34", "ecb36")

# (question, a word the best line must contain, or None when the coverage has no answer)
DEV: tuple[tuple[str, str | None], ...] = (
    ("How long is Lindsay Lohan's court-mandated stay at the Betty Ford Center?", "90"),
    ("Which lawyer did Lindsay Lohan rehire?", "Holley"),
    ("At what age did Esther Williams die?", "91"),
    ("Who is the publicist of Esther Williams?", "Boll"),
    ("Who will replace Matt Smith in Doctor Who?", "Capaldi"),
    ("Which character did Peter Capaldi play in The Thick of It?", "Tucker"),
    ("How much did AMD pay for SeaMicro?", "334"),
    ("What chips did SeaMicro use in its servers?", "Intel"),
    ("Where did Tara Reid check into rehab?", "Promises"),
    ("What did Lohan crash her Porsche into?", "truck"),
    ("Who won the Wimbledon final?", None),
    ("What interest rate did the European Central Bank set?", None),
    ("How many goals did Messi score last season?", None),
    ("How much will Peter Capaldi be paid per episode?", None),
    ("What caused the earthquake in Chile?", None),
    ("Which university did Tara Reid graduate from?", None),
    ("What is the population of Beverly Hills?", None),
    ("Who is the chief executive of Nvidia?", None),
    ("How many votes did the Scottish referendum get?", None),
    ("When will AMD open its new factory in Germany?", None),
)

TEST: tuple[tuple[str, str | None], ...] = (
    ("How many co-workers did Yvonne Hiller kill?", "two"),
    ("How long had Yvonne Hiller worked at Kraft?", "15"),
    ("Where is the Kraft plant where the shooting happened?", "Philadelphia"),
    ("What did the Paris thieves drive into the jewellery store?", "4"),
    ("How much jewellery was stolen from the Paris store?", "million"),
    ("Who did Obama nominate as surgeon general?", "Benjamin"),
    ("How old is Regina Benjamin?", "52"),
    ("Which jury found Warren Jeffs guilty?", "San Antonio"),
    ("How many years in prison could Warren Jeffs face?", "119"),
    ("What church does Warren Jeffs lead?", "Fundamentalist"),
    ("Who won the 2010 World Cup?", None),
    ("What is the price of crude oil?", None),
    ("Which team did LeBron James join?", None),
    ("How many people attended the Glastonbury festival?", None),
    ("What smartphone did Samsung release?", None),
    ("Who designed the Eiffel Tower?", None),
    ("What did the Federal Reserve decide about bond purchases?", None),
    ("How tall is Mount Everest?", None),
    ("What flavour of cheese does Kraft sell most?", None),
    ("Which hospital did Regina Benjamin train at in London?", None),
)
