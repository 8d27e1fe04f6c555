"""News texts written for the story tests (invented places, people and events; not copied from
any source). Three events, each reported by three outlets in their own words, and a later story
on the subject of one of them (a different event). Gold: the event each text reports, assigned
by the writer when writing it."""

from __future__ import annotations

OUTLETS = ("Daily Ledger", "Morning Post", "City Wire")

# event -> (date, [(title, text) per outlet, in OUTLETS order])
EVENTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "flood": ("2025-03-04", [
        ("Marlow Creek evacuated as the Tamsin bursts its banks",
         "Three hundred homes in Marlow Creek were evacuated overnight after the river Tamsin burst its banks "
         "following two days of torrential rain. Mayor Ellen Ruiz said emergency crews had rescued forty "
         "residents from rooftops and that the school gymnasium would shelter families until the water "
         "receded. The regional weather office warned that more rain was expected on Thursday."),
        ("Floodwater swamps Marlow Creek; mayor opens shelters",
         "Floodwater from the swollen Tamsin river poured into the streets of Marlow Creek on Tuesday, forcing "
         "about 300 households from their homes. Ellen Ruiz, the town's mayor, opened the school gymnasium as "
         "a shelter and praised rescuers who pulled dozens of people from flooded houses. Forecasters expect "
         "further heavy rain later this week."),
        ("Rain-fed Tamsin floods Marlow Creek, hundreds flee",
         "Hundreds of people fled Marlow Creek after the Tamsin river overflowed, the town's council said. "
         "Rescue teams used boats to reach residents stranded on roofs, and Mayor Ruiz said the gymnasium of "
         "the local school had been turned into an emergency shelter. Officials fear the flood could worsen "
         "if the rain returns on Thursday as forecast."),
    ]),
    "rates": ("2025-03-05", [
        ("Nordavian central bank lifts rates to 4.5% to fight inflation",
         "The central bank of Nordavia raised its main interest rate by half a percentage point to 4.5 per "
         "cent on Wednesday, its fourth increase this year. Governor Piet Halvorsen said inflation, at 6.1 per "
         "cent, remained far above the bank's target and that borrowing costs might have to rise again. "
         "Mortgage lenders are expected to pass the increase on to homeowners."),
        ("Halvorsen raises borrowing costs again as prices climb",
         "Nordavia's central bank increased its benchmark rate to 4.5% from 4%, Governor Piet Halvorsen "
         "announced, pointing to annual inflation of 6.1%. It is the fourth rise of the year. Halvorsen told "
         "reporters the bank was ready to act further, and banks signalled that mortgage payments would go up."),
        ("Half-point rate rise in Nordavia, the fourth this year",
         "In a widely expected move, the Nordavian central bank lifted interest rates by 0.5 points to 4.5 "
         "per cent. Inflation of 6.1 per cent is still too high, Governor Halvorsen said, and further rate "
         "increases could follow. Homeowners with variable mortgages will see their repayments rise."),
    ]),
    "strike": ("2025-03-04", [
        ("Kestrel Aviation pilots strike, 200 flights cancelled",
         "Pilots at Kestrel Aviation walked out on Tuesday in a dispute over pay and rest periods, forcing the "
         "airline to cancel about 200 flights. Union leader Dana Okafor said pilots had been flying "
         "exhausting schedules for months. Kestrel said it regretted the disruption and urged passengers to "
         "check their bookings before travelling to the airport."),
        ("Walkout grounds Kestrel fleet as pilots demand rest",
         "Kestrel Aviation grounded most of its fleet after its pilots went on strike over fatigue and wages. "
         "Around 200 departures were scrapped, leaving thousands of passengers stranded. Dana Okafor, who "
         "leads the pilots' union, said the airline had ignored repeated warnings about tiring rosters."),
        ("Thousands stranded as Kestrel pilots down tools",
         "A strike by Kestrel Aviation pilots led to the cancellation of roughly 200 flights, the airline "
         "said. The pilots' union, led by Dana Okafor, is demanding higher pay and longer rest between duty "
         "periods. Passengers were told to check the status of their flights before leaving for the airport."),
    ]),
}

# A later event on the subject of "rates": same bank and governor, another decision six weeks on.
LATER_RATES = ("2025-04-16", "Daily Ledger", "Nordavian central bank holds rates at 4.5%",
               "The central bank of Nordavia kept its main interest rate at 4.5 per cent on Wednesday, pausing "
               "after four increases this year. Governor Piet Halvorsen said inflation had eased to 5.2 per cent "
               "but warned that borrowing costs could still rise. Mortgage lenders welcomed the pause.")


def story_articles() -> list[dict]:
    """The nine texts as dicts with id, text and metadata (title, outlet, date), and their gold
    event in ``event``."""
    out = []
    for event, (date, texts) in EVENTS.items():
        for outlet, (title, text) in zip(OUTLETS, texts):
            aid = f"{event}-{outlet.split()[0].lower()}"
            out.append({"id": aid, "text": text, "event": event,
                        "metadata": {"title": title, "outlet": outlet, "date": date}})
    return out
